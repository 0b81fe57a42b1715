import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { DateField, FunctionField, Labeled, NumberField, ReferenceField, Show, SimpleShowLayout, TextField, useRecordContext, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { PayoutActions } from './PayoutActions';
import { PayoutHolds } from './PayoutHolds';
import { PayoutStateChip } from './PayoutList';

const Approvals = () => {
  const record = useRecordContext();
  const history = (record?.approval_history as Array<{ operator_email: string; reason: string; approval_round: number; created_at: string }>) ?? [];
  if (!record || history.length === 0) return null;
  return (
    <Box data-testid="payout-approvals" sx={{ mt: 2 }}>
      <Typography variant="h6" gutterBottom>
        Approvals ({record.approvals}/{record.approvals_required} in this round)
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Operator</TableCell>
            <TableCell>Reason</TableCell>
            <TableCell>Round</TableCell>
            <TableCell>At</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {history.map((approval) => (
            <TableRow key={`${approval.approval_round}-${approval.operator_email}`}>
              <TableCell>{approval.operator_email}</TableCell>
              <TableCell>{approval.reason}</TableCell>
              <TableCell>{approval.approval_round}</TableCell>
              <TableCell>{new Date(approval.created_at).toLocaleString()}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};

const PayoutTitle = () => {
  const record = useRecordContext();
  return <span>Payout {record?.payout_id ?? ''}</span>;
};

/** One payout: amounts, state and why, its holds (release them), approvals, execution and ledger entries. */
export const PayoutShow = () => (
  <Show title={<PayoutTitle />}>
    <SimpleShowLayout>
      <FunctionField label="Status" render={(r: RaRecord) => <PayoutStateChip record={r} />} />
      <PayoutActions />
      <ReferenceField source="creator_id" reference="creators" link="show" label="Creator" />
      <AmountField source="amount" unitSource="currency" label="Cash" />
      <AmountField source="diamonds" unit="DIAMOND" label="Diamonds reserved" />
      <AmountField source="rounding_diamonds" unit="DIAMOND" label="Rounding (to the platform)" />
      <AmountField source="usd_equivalent" unit="USD" label="USD value (compared with the dual-approval threshold)" />
      <TextField source="method" />
      <TextField source="payout_id" label="Platform payout id" />
      <TextField source="requested_via" label="Requested via" />
      <TextField source="request_reason" label="Request reason" emptyText="—" />
      <TextField source="decision_reason" label="Decision reason" emptyText="—" />
      <TextField source="failure_reason" label="Failure" emptyText="—" />
      <PayoutHolds />
      <Approvals />
      <Labeled label="Execution">
        <Box>
          <ReferenceField source="batch_id" reference="payout-batches" link="show" emptyText="not batched yet" />
          <TextField source="provider_payout_id" emptyText="" sx={{ ml: 2 }} />
        </Box>
      </Labeled>
      <NumberField source="provider_attempts" label="Provider calls" />
      <TextField source="last_provider_error" label="Last provider error" emptyText="—" />
      <ReferenceField source="reservation_transaction_id" reference="ledger-transactions" link="show" label="Reservation (ledger hold)" />
      <ReferenceField source="resolution_transaction_id" reference="ledger-transactions" link="show" label="Posted / voided by" emptyText="—" />
      <ReferenceField source="cash_transaction_id" reference="ledger-transactions" link="show" label="Cash legs" emptyText="—" />
      <DateField source="created_at" label="Requested" showTime />
      <DateField source="approved_at" label="Approved" showTime emptyText="—" />
      <DateField source="paid_at" label="Paid" showTime emptyText="—" />
    </SimpleShowLayout>
  </Show>
);
