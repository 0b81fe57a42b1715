import { Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { DateField, FunctionField, Labeled, ReferenceField, Show, SimpleShowLayout, TextField, useRecordContext, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { formatAmount } from '../fields/amount';
import { chargebackStateColor } from './choices';
import { EvidenceDueField } from './EvidenceDueField';

interface DiamondsRow {
  creator_id: string;
  gift_id: string;
  coins: string;
  diamonds: string;
  policy: string;
  resolution: string | null;
}

/** Creators' diamonds earned from the disputed coins: held from payouts until the dispute ends (docs/chargebacks.md). */
const DiamondsAtRisk = () => {
  const record = useRecordContext();
  const rows = (record?.diamonds ?? []) as DiamondsRow[];
  if (rows.length === 0) return <Typography variant="body2">None: the coins were not gifted (or the policy ignores them).</Typography>;
  return (
    <Table size="small">
      <TableHead>
        <TableRow><TableCell>Creator</TableCell><TableCell>Gift</TableCell><TableCell align="right">Coins</TableCell><TableCell align="right">Diamonds</TableCell><TableCell>Policy</TableCell><TableCell>Outcome</TableCell></TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.gift_id}>
            <TableCell>{row.creator_id}</TableCell>
            <TableCell>{row.gift_id}</TableCell>
            <TableCell align="right">{formatAmount(row.coins, 'COIN')}</TableCell>
            <TableCell align="right">{formatAmount(row.diamonds, 'DIAMOND')}</TableCell>
            <TableCell>{row.policy}</TableCell>
            <TableCell>{row.resolution ?? 'held'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

export const ChargebackShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="dispute_id" label="Dispute" />
      <FunctionField source="state" label="Status" render={(r: RaRecord) => <Chip size="small" label={String(r.state).replace(/_/g, ' ')} color={chargebackStateColor(r.state)} />} />
      <TextField source="provider_status" label="Provider status" />
      <TextField source="reason" emptyText="—" />
      <AmountField source="amount" unitSource="currency" />
      <AmountField source="fee" label="Dispute fee booked" unitSource="currency" />
      <AmountField source="coins_clawed_back" label="Coins clawed back" unit="COIN" />
      <ReferenceField source="user_id" reference="users" label="User" link="show" />
      <AmountField source="user_balance_coins" label="User balance now" unit="COIN" signed />
      <ReferenceField source="recharge_id" reference="recharges" label="Recharge" link="show" />
      <ReferenceField source="review_id" reference="reviews" label="Review item" link="show" emptyText="—" />
      <Labeled label="Evidence due"><EvidenceDueField source="evidence_due_by" /></Labeled>
      <DateField source="disputed_at" label="Disputed" showTime />
      <DateField source="closed_at" label="Closed" showTime emptyText="—" />
      <TextField source="clawback_transaction_id" label="Clawback entry" emptyText="—" />
      <TextField source="hold_void_transaction_id" label="Hold voided (recharge was in review)" emptyText="—" />
      <TextField source="reversal_transaction_id" label="Reversal entry (won)" emptyText="—" />
      <TextField source="fee_transaction_id" label="Fee entry (lost)" emptyText="—" />
      <AmountField source="diamonds_at_risk" label="Diamonds still held" unit="DIAMOND" />
      <Labeled label="Diamonds at risk"><DiamondsAtRisk /></Labeled>
    </SimpleShowLayout>
  </Show>
);
