import { serverExporter } from '../exporter';
import { ChipField, DatagridConfigurable, DateField, ExportButton, FilterButton, List, SearchInput, SelectColumnsButton, SelectInput, TextField, TextInput, TopToolbar } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { kycChoices } from './kycChoices';

const creatorFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Creator or user id" />,
  <SelectInput key="kyc_status" source="kyc_status" label="KYC" choices={kycChoices} />,
  <TextInput key="country" source="country" label="Country (ISO)" />,
  <TextInput key="payout_currency" source="payout_currency" label="Payout currency" />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

/** Creators with the diamonds they earned (from the ledger); read-only, written by signed events. */
export const CreatorList = () => (
  <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={creatorFilters} sort={{ field: 'created_at', order: 'DESC' }} perPage={25} actions={<ListActions />}>
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <TextField source="id" label="Creator id" />
      <TextField source="user_id" label="User id" emptyText="—" sortable={false} />
      <TextField source="country" emptyText="—" />
      <ChipField source="kyc_status" label="KYC" size="small" />
      <TextField source="payout_currency" label="Payout in" emptyText="—" sortable={false} />
      <AmountField source="available_diamonds" label="Available" unit="DIAMOND" textAlign="right" />
      <AmountField source="held_diamonds" label="Held" unit="DIAMOND" textAlign="right" />
      <AmountField source="debt_diamonds" label="Debt" unit="DIAMOND" debt textAlign="right" />
      <DateField source="created_at" label="Known since" showTime />
    </DatagridConfigurable>
  </List>
);
