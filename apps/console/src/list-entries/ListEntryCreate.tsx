import { Create, DateTimeInput, maxLength, minLength, required, SelectInput, SimpleForm, TextInput } from 'react-admin';
import { kindChoices, listChoices } from './choices';

/** `<input type="datetime-local">` has no zone; send the instant the operator meant. */
const toIsoInstant = (value: string) => (value ? new Date(value).toISOString() : null);

const toNewEntry = (record: Record<string, unknown>) => ({
  list: record.list,
  kind: record.kind,
  value: String(record.value ?? '').trim(),
  reason: String(record.reason ?? '').trim(),
  ...(record.expires_at ? { expires_at: record.expires_at } : {}),
});

export const ListEntryCreate = () => (
  <Create transform={toNewEntry} redirect="list" mutationMode="pessimistic" title="Add a list entry">
    <SimpleForm defaultValues={{ list: 'block', kind: 'card' }}>
      <SelectInput source="list" choices={listChoices} validate={required()} helperText="Allow turns a review into an allow; it never overrides a block" />
      <SelectInput source="kind" choices={kindChoices} validate={required()} />
      <TextInput source="value" validate={[required(), maxLength(200)]} helperText="Card fingerprint, device id, IP, user id, BIN (6-8 digits), country (US) or email domain" fullWidth />
      <TextInput source="reason" validate={[required(), minLength(3), maxLength(1000)]} multiline fullWidth />
      <DateTimeInput source="expires_at" label="Expires at" parse={toIsoInstant} helperText="Empty: until removed" />
    </SimpleForm>
  </Create>
);
