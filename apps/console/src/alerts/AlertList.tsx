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
import { actionChoices, actionColor, severityChoices, severityColor } from '../rules/choices';

/** `<input type="datetime-local">` has no zone; send the instant the operator meant. */
const toIsoInstant = (value: string) => (value ? new Date(value).toISOString() : null);

const alertFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <TextInput key="rule" source="rule" label="Rule key" />,
  <SelectInput key="severity" source="severity" choices={severityChoices} />,
  <SelectInput key="action" source="action" choices={actionChoices} />,
  <TextInput key="subject" source="subject" label="Recharge or gift id" />,
  <TextInput key="user_id" source="user_id" label="User id" />,
  <DateTimeInput key="created_at_gte" source="created_at_gte" label="From" parse={toIsoInstant} />,
  <DateTimeInput key="created_at_lte" source="created_at_lte" label="To" parse={toIsoInstant} />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

/** One row per matching rule of a recorded decision; read-only. */
export const AlertList = () => (
  <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={alertFilters} sort={{ field: 'created_at', order: 'DESC' }} perPage={50} actions={<ListActions />}>
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <DateField source="created_at" label="Time" showTime />
      <TextField source="rule_key" label="Rule" />
      <FunctionField source="severity" render={(record: RaRecord) => <Chip size="small" variant="outlined" label={record.severity} color={severityColor(record.severity)} />} />
      <FunctionField source="action" render={(record: RaRecord) => <Chip size="small" label={record.action} color={actionColor(record.action)} />} />
      <NumberField source="score" />
      <TextField source="subject_type" label="Subject" sortable={false} />
      <TextField source="subject_id" label="Id" sortable={false} />
      <TextField source="user_id" label="User" sortable={false} />
      <FunctionField source="decision" sortable={false} render={(record: RaRecord) => <Chip size="small" variant="outlined" label={record.decision} color={actionColor(record.decision)} />} />
    </DatagridConfigurable>
  </List>
);
