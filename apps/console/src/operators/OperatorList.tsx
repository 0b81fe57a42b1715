import { serverExporter } from '../exporter';
import {
  BooleanField,
  CreateButton,
  DatagridConfigurable,
  DateField,
  ExportButton,
  FilterButton,
  List,
  NullableBooleanInput,
  SearchInput,
  SelectColumnsButton,
  SelectField,
  SelectInput,
  TextField,
  TopToolbar,
} from 'react-admin';
import { roleChoices } from './roleChoices';

const operatorFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices} />,
  <NullableBooleanInput key="disabled" source="disabled" />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <CreateButton />
    <ExportButton />
  </TopToolbar>
);

export const OperatorList = () => (
  <List
    exporter={serverExporter({ sort: ['created_at', 'DESC'] })}
    filters={operatorFilters}
    sort={{ field: 'created_at', order: 'DESC' }}
    perPage={25}
    actions={<ListActions />}
  >
    <DatagridConfigurable rowClick="edit" bulkActionButtons={false}>
      <TextField source="email" />
      <TextField source="name" />
      <SelectField source="role" choices={roleChoices} />
      <BooleanField source="disabled" sortable={false} FalseIcon={null} />
      <DateField source="last_login_at" label="Last login" showTime />
      <DateField source="created_at" label="Created" showTime />
    </DatagridConfigurable>
  </List>
);
