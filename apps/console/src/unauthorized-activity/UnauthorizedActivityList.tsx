import { Chip } from '@mui/material';
import { DatagridConfigurable, DateField, ExportButton, FunctionField, List, SearchInput, SelectColumnsButton, SelectInput, TextField, TextInput, TopToolbar, type RaRecord } from 'react-admin';
import { reportStateChoices, reportStateColor } from './choices';
import { serverExporter } from '../exporter';

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Report or user id" />,
  <SelectInput key="state" source="state" choices={reportStateChoices} />,
  <TextInput key="user_id" source="user_id" label="User id" />,
];

export const ReportStateField = () => <FunctionField label="State" render={(r: RaRecord) => <Chip size="small" label={r.state} color={reportStateColor(r.state)} />} />;

export const UnauthorizedActivityList = () => (
  <List exporter={serverExporter({ sort: ['reported_at', 'DESC'] })} filters={filters} sort={{ field: 'reported_at', order: 'DESC' }} actions={<TopToolbar><SelectColumnsButton /><ExportButton /></TopToolbar>}>
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <DateField source="reported_at" label="Reported" showTime />
      <TextField source="user_id" label="User" />
      <ReportStateField />
      <TextField source="description" />
      <FunctionField label="Recharges" render={(r: RaRecord) => r.recharge_ids?.length ?? 0} />
      <DateField source="decided_at" label="Decided" showTime emptyText="—" />
    </DatagridConfigurable>
  </List>
);
