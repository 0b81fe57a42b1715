import { serverExporter } from '../../exporter';
import { DatagridConfigurable, DateField, ExportButton, FilterButton, List, SearchInput, SelectColumnsButton, SelectInput, TextField, TextInput, TopToolbar } from 'react-admin';
import { AmountField } from '../../fields/AmountField';

const kindChoices = ['user', 'creator', 'platform', 'provider'].map((id) => ({ id, name: id }));

const accountFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Code or owner" />,
  <TextInput key="asset" source="asset" label="Asset (COIN, DIAMOND, USD...)" />,
  <SelectInput key="kind" source="kind" choices={kindChoices} />,
  <TextInput key="owner_id" source="owner_id" label="Owner id" />,
  <TextInput key="logical_code" source="logical_code" label="Account (all shards)" />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

/** Every ledger account with its materialized balances, in the account's own asset. */
export const LedgerAccountList = () => (
  <List exporter={serverExporter({ sort: ['id', 'ASC'] })} filters={accountFilters} sort={{ field: 'id', order: 'ASC' }} perPage={25} actions={<ListActions />} title="Ledger accounts">
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <TextField source="id" />
      <TextField source="code" />
      <TextField source="asset" />
      <TextField source="kind" />
      <TextField source="owner_id" label="Owner" emptyText="—" sortable={false} />
      <AmountField source="posted" unitSource="asset" textAlign="right" />
      <AmountField source="available" unitSource="asset" textAlign="right" />
      <AmountField source="pending_debits" label="Held (debits)" unitSource="asset" sortable={false} textAlign="right" />
      <AmountField source="pending_credits" label="Pending credits" unitSource="asset" sortable={false} textAlign="right" />
      <DateField source="updated_at" label="Last moved" showTime />
    </DatagridConfigurable>
  </List>
);
