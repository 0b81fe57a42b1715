import { Create, maxLength, minLength, regex, required, SelectInput, SimpleForm, TextInput, useNotify, useRedirect } from 'react-admin';
import { reasonCodeChoices } from './AdjustmentList';

const targets = [
  { id: 'user', name: "user's coins" },
  { id: 'creator', name: "creator's diamonds" },
];
const directions = [
  { id: 'credit', name: 'credit (add)' },
  { id: 'debit', name: 'debit (take away)' },
];

/**
 * The adjustment form: a user's coins or a creator's diamonds, credit or debit, a reason code and a note.
 * Up to the threshold it is posted at once; above it, it waits in the approvals queue for a second operator.
 */
export const AdjustmentCreate = () => {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Create
      mutationOptions={{
        onSuccess: (data: { id: string; state: string }) => {
          notify(data.state === 'posted' ? 'Adjustment posted' : 'Adjustment waiting for a second operator', { type: 'success' });
          redirect('show', 'adjustments', data.id);
        },
      }}
    >
      <SimpleForm defaultValues={{ target: 'user', direction: 'credit', reason_code: 'goodwill' }}>
        <SelectInput source="target" choices={targets} validate={required()} />
        <TextInput source="target_id" label="User or creator id" validate={[required(), regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, dots, dashes or underscores')]} />
        <SelectInput source="direction" choices={directions} validate={required()} />
        <TextInput source="amount" label="Amount (coins or diamonds)" validate={[required(), regex(/^[1-9][0-9]{0,15}$/, 'a positive whole number')]} />
        <SelectInput source="reason_code" label="Reason code" choices={reasonCodeChoices} validate={required()} />
        <TextInput source="note" multiline minRows={2} fullWidth validate={[required(), minLength(3), maxLength(1000)]} />
      </SimpleForm>
    </Create>
  );
};
