import { Chip } from '@mui/material';
import { ADJUSTMENT_REASON_CODES, ADJUSTMENT_STATES } from '@coinops/contracts';
import { BooleanField, CreateButton, DatagridConfigurable, DateField, ExportButton, FunctionField, List, SelectInput, TextField, TextInput, TopToolbar, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { serverExporter } from '../exporter';

const choices = (values: readonly string[]) => values.map((id) => ({ id, name: id.replace(/_/g, ' ') }));
export const adjustmentStateChoices = choices(ADJUSTMENT_STATES);
export const reasonCodeChoices = choices(ADJUSTMENT_REASON_CODES);

const stateColor = (state: unknown) => (state === 'posted' ? 'success' : state === 'requested' ? 'warning' : 'default');
export const AdjustmentStateChip = ({ record }: { record: RaRecord }) => <Chip size="small" label={String(record.state)} color={stateColor(record.state)} />;

const filters = [
  <TextInput key="q" source="q" label="Search" alwaysOn />,
  <SelectInput key="state" source="state" choices={adjustmentStateChoices} alwaysOn />,
  <SelectInput key="reason_code" source="reason_code" choices={reasonCodeChoices} />,
  <SelectInput key="target" source="target" choices={choices(['user', 'creator'])} />,
  <TextInput key="target_id" source="target_id" label="User or creator" />,
];

export const AdjustmentList = () => (
  <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={filters} sort={{ field: 'created_at', order: 'DESC' }} empty={false} actions={<TopToolbar><CreateButton label="New adjustment" /><ExportButton /></TopToolbar>}>
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <FunctionField source="state" label="Status" render={(r: RaRecord) => <AdjustmentStateChip record={r} />} />
      <TextField source="target" />
      <TextField source="target_id" label="User or creator" />
      <TextField source="direction" />
      <AmountField source="amount" unitSource="asset" />
      <TextField source="reason_code" label="Reason" />
      <TextField source="note" />
      <BooleanField source="needs_approval" label="Four-eyes" />
      <TextField source="requested_by_email" label="Requested by" />
      <DateField source="created_at" label="Asked at" showTime />
    </DatagridConfigurable>
  </List>
);
