import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { BooleanField, DateField, FunctionField, Labeled, ReferenceField, Show, SimpleShowLayout, TextField, useRecordContext, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { RefundActions } from './RefundActions';
import { StateChip } from './RefundList';

interface Attempt {
  attempt: number;
  idempotency_key: string;
  outcome: string;
  provider_refund_id: string | null;
  error: string | null;
  created_at: string;
}

/** Every call the worker made to the provider for this refund: what "failed, can be retried" rests on. */
const Attempts = () => {
  const record = useRecordContext();
  const attempts = (record?.attempts as Attempt[] | undefined) ?? [];
  if (!attempts.length) return <Typography variant="body2">No provider call yet.</Typography>;
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>Attempt</TableCell>
          <TableCell>Idempotency key</TableCell>
          <TableCell>Outcome</TableCell>
          <TableCell>Provider refund</TableCell>
          <TableCell>Error</TableCell>
          <TableCell>At</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {attempts.map((a, i) => (
          <TableRow key={i}>
            <TableCell>{a.attempt}</TableCell>
            <TableCell>{a.idempotency_key}</TableCell>
            <TableCell>{a.outcome}</TableCell>
            <TableCell>{a.provider_refund_id ?? '—'}</TableCell>
            <TableCell>{a.error ?? ''}</TableCell>
            <TableCell>{new Date(a.created_at).toLocaleString()}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/** One refund: its state and amounts, who asked and who decided, the provider's answers, and its buttons. */
export const RefundShow = () => (
  <Show>
    <SimpleShowLayout>
      <RefundActions />
      <FunctionField source="state" label="Status" render={(r: RaRecord) => <StateChip record={r} />} />
      <TextField source="kind" />
      <AmountField source="amount" unitSource="currency" />
      <AmountField source="coins" label="Coins taken back" unit="COIN" />
      <AmountField source="coins_unrecovered" label="Spent coins refunded (override)" unit="COIN" />
      <ReferenceField source="recharge_id" reference="recharges" link="show" label="Recharge" />
      <TextField source="user_id" label="User" />
      <TextField source="reason" />
      <BooleanField source="needs_approval" label="Needs a second operator" />
      <TextField source="requested_by_email" label="Requested by" emptyText="system" />
      <TextField source="decision_reason" label="Decision" emptyText="—" />
      <TextField source="override_reason" label="Override reason" emptyText="—" />
      <TextField source="failure_code" label="Failure code" emptyText="—" />
      <TextField source="failure_reason" label="Failure" emptyText="—" />
      <TextField source="idempotency_key" label="Idempotency key" />
      <TextField source="provider_refund_id" label="Provider refund" emptyText="—" />
      <TextField source="ledger_transaction_id" label="Ledger reversal" emptyText="—" />
      <DateField source="created_at" label="Asked at" showTime />
      <DateField source="completed_at" label="Confirmed at" showTime emptyText="—" />
      <Labeled label="Provider calls" fullWidth>
        <Attempts />
      </Labeled>
    </SimpleShowLayout>
  </Show>
);
