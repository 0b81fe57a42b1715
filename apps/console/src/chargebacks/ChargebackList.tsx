import { Chip } from '@mui/material';
import {
  DatagridConfigurable, DateField, ExportButton, FilterButton, FunctionField, List, SearchInput, SelectColumnsButton, SelectInput, TextField, TextInput, TopToolbar,
  type RaRecord,
} from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { paymentMethodChoices } from '../recharges/choices';
import { ChargebackRatioChart } from './ChargebackRatioChart';
import { chargebackStateChoices, chargebackStateColor } from './choices';
import { EvidenceDueField } from './EvidenceDueField';
import { serverExporter } from '../exporter';

/** The filters of `GET /api/chargebacks` (libs/payments/src/chargebacks/chargeback-query.ts). */
const chargebackFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Id, dispute, charge, user, card" />,
  <SelectInput key="state" source="state" label="Status" choices={chargebackStateChoices} />,
  <SelectInput key="method" source="method" choices={paymentMethodChoices} />,
  <TextInput key="card_brand" source="card_brand" label="Card brand" />,
  <TextInput key="provider" source="provider" />,
  <TextInput key="user_id" source="user_id" label="User id" />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

/** Every dispute the providers reported, soonest evidence first; the user's balance shows the debt a clawback left. */
export const ChargebackList = () => (
  <>
    <ChargebackRatioChart />
    <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={chargebackFilters} sort={{ field: 'created_at', order: 'DESC' }} perPage={25} actions={<ListActions />}>
      <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
        <DateField source="disputed_at" label="Disputed" showTime />
        <TextField source="user_id" label="User" sortable={false} />
        <TextField source="dispute_id" label="Dispute" sortable={false} />
        <FunctionField source="state" label="Status" render={(r: RaRecord) => <Chip size="small" label={String(r.state).replace(/_/g, ' ')} color={chargebackStateColor(r.state)} />} />
        <TextField source="reason" sortable={false} emptyText="—" />
        <AmountField source="amount" unitSource="currency" textAlign="right" />
        <AmountField source="coins_clawed_back" label="Coins clawed back" unit="COIN" sortable={false} textAlign="right" />
        <AmountField source="user_balance_coins" label="User balance" unit="COIN" signed sortable={false} textAlign="right" />
        <EvidenceDueField source="evidence_due_by" label="Evidence due" />
        <TextField source="card_brand" label="Brand" sortable={false} emptyText="—" />
        <TextField source="method" sortable={false} />
      </DatagridConfigurable>
    </List>
  </>
);
