import { serverExporter } from '../exporter';
import { Chip } from '@mui/material';
import {
  BooleanField,
  CreateButton,
  DatagridConfigurable,
  DateField,
  ExportButton,
  FilterButton,
  FunctionField,
  List,
  NullableBooleanInput,
  SearchInput,
  SelectColumnsButton,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
  type RaRecord,
} from 'react-admin';
import { kindChoices, listChoices } from './choices';
import { RemoveEntryButton } from './RemoveEntryButton';

const entryFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="list" source="list" choices={listChoices} alwaysOn />,
  <SelectInput key="kind" source="kind" choices={kindChoices} />,
  <TextInput key="value" source="value" />,
  <NullableBooleanInput key="active" source="active" />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <CreateButton label="Add entry" />
    <ExportButton />
  </TopToolbar>
);

/** Block and allow entries, removed ones included (removal keeps the history). */
export const ListEntryList = () => (
  <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={entryFilters} sort={{ field: 'created_at', order: 'DESC' }} perPage={50} actions={<ListActions />} title="Block and allow lists" empty={false}>
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <FunctionField source="list" render={(record: RaRecord) => <Chip size="small" label={record.list} color={record.list === 'block' ? 'error' : 'success'} />} />
      <TextField source="kind" />
      <TextField source="value" />
      <TextField source="reason" sortable={false} />
      <TextField source="author" sortable={false} />
      <DateField source="created_at" label="Added" showTime />
      <DateField source="expires_at" label="Expires" showTime emptyText="never" />
      <BooleanField source="active" />
      <DateField source="removed_at" label="Removed" showTime emptyText="—" />
      <RemoveEntryButton />
    </DatagridConfigurable>
  </List>
);
