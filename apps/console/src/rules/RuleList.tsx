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
  NumberField,
  SearchInput,
  SelectColumnsButton,
  SelectInput,
  TextField,
  TopToolbar,
  useCanAccess,
  type RaRecord,
} from 'react-admin';
import { actionChoices, actionColor, eventKindChoices, severityChoices, severityColor } from './choices';

const ruleFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="action" source="action" choices={actionChoices} />,
  <SelectInput key="severity" source="severity" choices={severityChoices} />,
  <SelectInput key="event_kind" source="event_kind" label="Applies to" choices={eventKindChoices} />,
  <NullableBooleanInput key="enabled" source="enabled" />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <CreateButton />
    <ExportButton />
  </TopToolbar>
);

/** Editors open a rule in the editor; everyone else gets the read-only view. */
export const RuleList = () => {
  const { canAccess: canEdit } = useCanAccess({ resource: 'rules', action: 'edit' });
  return (
    <List exporter={serverExporter({ sort: ['key', 'ASC'] })} filters={ruleFilters} sort={{ field: 'key', order: 'ASC' }} perPage={50} actions={<ListActions />}>
      <DatagridConfigurable rowClick={canEdit ? 'edit' : 'show'} bulkActionButtons={false}>
        <TextField source="key" />
        <TextField source="name" />
        <TextField source="event_kind" label="Applies to" />
        <FunctionField source="action" render={(record: RaRecord) => <Chip size="small" label={record.action} color={actionColor(record.action)} />} />
        <FunctionField source="severity" render={(record: RaRecord) => <Chip size="small" variant="outlined" label={record.severity} color={severityColor(record.severity)} />} />
        <NumberField source="score" />
        <BooleanField source="enabled" FalseIcon={null} />
        <NumberField source="live_version" label="Version" />
        <DateField source="updated_at" label="Updated" showTime />
      </DatagridConfigurable>
    </List>
  );
};
