import { DateField, Show, SimpleShowLayout, TextField, useRecordContext } from 'react-admin';
import { AmountField } from '../../fields/AmountField';
import { Journal } from '../Journal';

const AccountJournal = () => {
  const record = useRecordContext();
  return record ? <Journal path={`ledger-accounts/${record.id}/journal`} unit={String(record.asset)} /> : null;
};

const AccountTitle = () => {
  const record = useRecordContext();
  return <span>Ledger account {record?.code ?? ''}</span>;
};

export const LedgerAccountShow = () => (
  <Show title={<AccountTitle />}>
    <SimpleShowLayout>
      <TextField source="code" />
      <TextField source="logical_code" label="Account (all shards)" />
      <TextField source="asset" />
      <TextField source="kind" />
      <TextField source="owner_id" label="Owner" emptyText="—" />
      <TextField source="overdraft" label="Overdraft policy" />
      <AmountField source="posted" unitSource="asset" />
      <AmountField source="available" unitSource="asset" />
      <AmountField source="pending_debits" label="Held (pending debits)" unitSource="asset" />
      <AmountField source="pending_credits" label="Pending credits" unitSource="asset" />
      <TextField source="version" label="Postings applied" />
      <DateField source="created_at" label="Opened" showTime />
      <AccountJournal />
    </SimpleShowLayout>
  </Show>
);
