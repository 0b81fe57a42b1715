import { Chip, Stack } from '@mui/material';
import { DateField, FunctionField, Labeled, Link, NumberField, Show, SimpleShowLayout, TextField, useCreatePath, useRecordContext, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { rechargeStateColor } from './choices';
import { RiskExplanation, type RiskExplanationData } from './RiskExplanation';
import { RechargeRefunds } from './RechargeRefunds';

const Links = () => {
  const record = useRecordContext();
  const createPath = useCreatePath();
  if (!record) return null;
  return (
    <Stack direction="row" spacing={2}>
      <Link to={createPath({ resource: 'users', id: record.user_id, type: 'show' })}>User {record.user_id}</Link>
      {record.review_id && <Link to={createPath({ resource: 'reviews', id: record.review_id, type: 'show' })}>Review item</Link>}
    </Stack>
  );
};

const Explanation = () => {
  const record = useRecordContext();
  return <RiskExplanation risk={record?.risk as RiskExplanationData | null} />;
};

/** One recharge: the payment, its state, and the risk decision with each matching rule and its values. */
export const RechargeShow = () => (
  <Show title={<RechargeTitle />}>
    <SimpleShowLayout>
      <Links />
      <FunctionField source="state" label="Status" render={(r: RaRecord) => <Chip label={String(r.state).replace(/_/g, ' ')} color={rechargeStateColor(r.state)} />} />
      <AmountField source="amount" unitSource="currency" />
      <AmountField source="coins" unit="COIN" />
      <TextField source="method" />
      <TextField source="provider" />
      <TextField source="provider_ref" label="Provider reference" />
      <TextField source="card_fingerprint" label="Card fingerprint" emptyText="—" />
      <FunctionField label="Card" render={(r: RaRecord) => [r.card_brand, r.card_last4 && `•••• ${r.card_last4}`, r.bin_country].filter(Boolean).join(' ') || '—'} />
      <TextField source="wallet" emptyText="—" />
      <TextField source="device_id" label="Device" emptyText="—" />
      <TextField source="ip" label="IP" emptyText="—" />
      <NumberField source="risk_score" label="Risk score" emptyText="—" />
      <DateField source="occurred_at" label="Paid at" showTime />
      <DateField source="evaluated_at" label="Evaluated at" showTime emptyText="—" />
      <TextField source="ledger_transaction_id" label="Ledger transaction" emptyText="—" />
      <Labeled label="Why: the risk decision" fullWidth>
        <Explanation />
      </Labeled>
      <Labeled label="Refunds" fullWidth>
        <RechargeRefunds />
      </Labeled>
    </SimpleShowLayout>
  </Show>
);

const RechargeTitle = () => {
  const record = useRecordContext();
  return <span>Recharge {record?.provider_ref ?? ''}</span>;
};
