import { serverExporter } from '../exporter';
import { BooleanField, DatagridConfigurable, DateField, ExportButton, FilterButton, List, SelectColumnsButton, TextField, TopToolbar } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { userFilters } from './userFilters';

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

/** The platform's users with their coin wallets (from the ledger); read-only, written by signed events. */
export const UserList = () => (
  <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={userFilters} sort={{ field: 'created_at', order: 'DESC' }} perPage={25} actions={<ListActions />}>
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <TextField source="id" label="User id" />
      <TextField source="email" emptyText="—" />
      <TextField source="country" emptyText="—" />
      <AmountField source="available_coins" label="Available" unit="COIN" textAlign="right" />
      <AmountField source="held_coins" label="Held" unit="COIN" textAlign="right" />
      <AmountField source="debt_coins" label="Debt" unit="COIN" debt textAlign="right" />
      <BooleanField source="frozen" FalseIcon={null} sortable={false} />
      <DateField source="created_at" label="Known since" showTime />
    </DatagridConfigurable>
  </List>
);
