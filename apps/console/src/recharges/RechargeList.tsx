import { serverExporter } from '../exporter';
import { Chip } from '@mui/material';
import {
  DatagridConfigurable,
  DateField,
  DateTimeInput,
  ExportButton,
  FilterButton,
  FunctionField,
  List,
  NumberField,
  SearchInput,
  SelectColumnsButton,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
  type RaRecord,
} from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { actionColor } from '../rules/choices';
import { paymentMethodChoices, rechargeDecisionChoices, rechargeStateChoices, rechargeStateColor, toIsoInstant, toMinorUnits } from './choices';

/** The filters of `GET /api/recharges` (libs/payments/src/recharges/recharge-query.ts). Amounts in minor units. */
const rechargeFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Id, charge, user, card" />,
  <SelectInput key="state" source="state" label="Status" choices={rechargeStateChoices} />,
  <SelectInput key="decision" source="decision" choices={rechargeDecisionChoices} />,
  <SelectInput key="method" source="method" choices={paymentMethodChoices} />,
  <TextInput key="bin_country" source="bin_country" label="Card country (ISO)" parse={(v: string) => v.toUpperCase()} />,
  <TextInput key="amount_gte" source="amount_gte" label="Amount from (minor units)" parse={toMinorUnits} />,
  <TextInput key="amount_lte" source="amount_lte" label="Amount to (minor units)" parse={toMinorUnits} />,
  <DateTimeInput key="occurred_at_gte" source="occurred_at_gte" label="From" parse={toIsoInstant} />,
  <DateTimeInput key="occurred_at_lte" source="occurred_at_lte" label="To" parse={toIsoInstant} />,
  <TextInput key="user_id" source="user_id" label="User id" />,
  <TextInput key="card_fingerprint" source="card_fingerprint" label="Card fingerprint" />,
  <TextInput key="device_id" source="device_id" label="Device" />,
  <TextInput key="ip" source="ip" label="IP" />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

/** Every recharge with its decision; a held one links to its review item from its page. */
export const RechargeList = () => (
  <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={rechargeFilters} sort={{ field: 'created_at', order: 'DESC' }} perPage={25} actions={<ListActions />}>
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <DateField source="occurred_at" label="Paid at" showTime />
      <TextField source="user_id" label="User" />
      <TextField source="method" sortable={false} />
      <AmountField source="amount" unitSource="currency" textAlign="right" />
      <AmountField source="coins" unit="COIN" textAlign="right" />
      <FunctionField source="state" label="Status" render={(r: RaRecord) => <Chip size="small" label={String(r.state).replace(/_/g, ' ')} color={rechargeStateColor(r.state)} />} />
      <FunctionField source="decision" sortable={false} render={(r: RaRecord) => (r.decision ? <Chip size="small" label={r.decision} color={actionColor(r.decision)} /> : '—')} />
      <NumberField source="risk_score" label="Score" />
      <TextField source="card_fingerprint" label="Card" sortable={false} emptyText="—" />
      <TextField source="bin_country" label="Card country" sortable={false} emptyText="—" />
    </DatagridConfigurable>
  </List>
);
