import { BooleanField, DateField, FunctionField, Show, SimpleShowLayout, TextField, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { AdjustmentActions } from './AdjustmentActions';
import { AdjustmentStateChip } from './AdjustmentList';

export const AdjustmentShow = () => (
  <Show>
    <SimpleShowLayout>
      <AdjustmentActions />
      <FunctionField source="state" label="Status" render={(r: RaRecord) => <AdjustmentStateChip record={r} />} />
      <TextField source="target" />
      <TextField source="target_id" label="User or creator" />
      <TextField source="direction" />
      <AmountField source="amount" unitSource="asset" />
      <TextField source="reason_code" label="Reason code" />
      <TextField source="note" />
      <BooleanField source="needs_approval" label="Needs a second operator" />
      <TextField source="requested_by_email" label="Requested by" />
      <TextField source="decision_reason" label="Decision" emptyText="—" />
      <TextField source="ledger_transaction_id" label="Ledger transaction" emptyText="—" />
      <DateField source="created_at" label="Asked at" showTime />
      <DateField source="posted_at" label="Posted at" showTime emptyText="—" />
    </SimpleShowLayout>
  </Show>
);
