import { ChipField, DateField, Labeled, Show, SimpleShowLayout, TextField, useRecordContext } from 'react-admin';
import { Postings } from './Postings';

const TransactionTitle = () => {
  const record = useRecordContext();
  return <span>Ledger transaction {record?.id ?? ''}</span>;
};

const Metadata = () => {
  const record = useRecordContext();
  return <pre style={{ margin: 0, fontSize: 12 }}>{JSON.stringify(record?.metadata ?? {}, null, 2)}</pre>;
};

export const LedgerTransactionShow = () => (
  <Show title={<TransactionTitle />}>
    <SimpleShowLayout>
      <TextField source="id" />
      <DateField source="created_at" label="Time" showTime />
      <TextField source="type" />
      <TextField source="phase" />
      <ChipField source="state" size="small" />
      <TextField source="idempotency_key" label="Idempotency key" />
      <TextField source="reference_type" label="Reference type" emptyText="—" />
      <TextField source="reference_id" label="Reference id" emptyText="—" />
      <TextField source="pending_id" label="Resolves hold" emptyText="—" />
      <TextField source="reverses_id" label="Reverses" emptyText="—" />
      <TextField source="reversed_by_id" label="Reversed by" emptyText="—" />
      <TextField source="reason" emptyText="—" />
      <Labeled label="Metadata">
        <Metadata />
      </Labeled>
      <Labeled label="Postings" fullWidth>
        <Postings />
      </Labeled>
    </SimpleShowLayout>
  </Show>
);
