import {
  BooleanInput,
  DateField,
  Edit,
  Labeled,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  TopToolbar,
  maxLength,
  required,
  type RaRecord,
} from 'react-admin';
import { ResetPasswordButton } from './ResetPasswordButton';
import { ResetTwoFactorButton } from './ResetTwoFactorButton';
import { roleChoices } from './roleChoices';

/** `PUT /api/operators/:id` takes only what may change, plus the reason that goes into the audit row. */
export function toOperatorUpdate(record: RaRecord) {
  const { name, role, disabled, reason } = record as Record<string, unknown>;
  return { name, role, disabled, ...(typeof reason === 'string' && reason.trim() ? { reason: reason.trim() } : {}) };
}

const EditActions = () => (
  <TopToolbar>
    <ResetPasswordButton />
    <ResetTwoFactorButton />
  </TopToolbar>
);

export const OperatorEdit = () => (
  <Edit actions={<EditActions />} transform={toOperatorUpdate} mutationMode="pessimistic">
    <SimpleForm>
      <Labeled>
        <TextField source="email" />
      </Labeled>
      <TextInput source="name" validate={[required(), maxLength(200)]} />
      <SelectInput source="role" choices={roleChoices} validate={required()} />
      <BooleanInput source="disabled" />
      <TextInput
        source="reason"
        helperText="Recorded in the audit log"
        multiline
        validate={maxLength(1000)}
      />
      <Labeled label="Last login">
        <DateField source="last_login_at" showTime emptyText="never" />
      </Labeled>
    </SimpleForm>
  </Edit>
);
