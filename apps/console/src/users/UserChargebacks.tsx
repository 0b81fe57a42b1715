import { Alert, Chip } from '@mui/material';
import { Datagrid, DateField, FunctionField, Labeled, ReferenceManyField, TextField, useRecordContext, type RaRecord } from 'react-admin';
import { chargebackStateColor } from '../chargebacks/choices';
import { EvidenceDueField } from '../chargebacks/EvidenceDueField';
import { AmountField } from '../fields/AmountField';
import { formatAmount, signOf } from '../fields/amount';

/** A wallet below zero is a debt a chargeback's clawback left (docs/chargebacks.md): said in red at the top. */
export const DebtBanner = () => {
  const record = useRecordContext();
  if (!record || signOf(record.debt_coins) <= 0) return null;
  return (
    <Alert severity="error" sx={{ mb: 2 }} data-testid="debt-banner">
      Owes {formatAmount(record.debt_coins, 'COIN')}: coins clawed back by a chargeback had already been spent.
    </Alert>
  );
};

/** The user's chargebacks, newest first. */
export const UserChargebacks = () => (
  <Labeled label="Chargebacks" fullWidth>
    <ReferenceManyField reference="chargebacks" target="user_id" sort={{ field: 'created_at', order: 'DESC' }} perPage={10}>
      <Datagrid rowClick="show" bulkActionButtons={false} empty={<span>None</span>}>
        <DateField source="disputed_at" label="Disputed" showTime />
        <TextField source="dispute_id" label="Dispute" />
        <FunctionField source="state" label="Status" render={(r: RaRecord) => <Chip size="small" label={String(r.state).replace(/_/g, ' ')} color={chargebackStateColor(r.state)} />} />
        <AmountField source="amount" unitSource="currency" />
        <AmountField source="coins_clawed_back" label="Coins clawed back" unit="COIN" />
        <EvidenceDueField source="evidence_due_by" label="Evidence due" />
      </Datagrid>
    </ReferenceManyField>
  </Labeled>
);
