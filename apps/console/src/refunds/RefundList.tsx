import { Chip } from '@mui/material';
import { BooleanField, DatagridConfigurable, DateField, ExportButton, FunctionField, List, ReferenceField, SelectInput, TextField, TextInput, TopToolbar, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { refundKindChoices, refundStateChoices, refundStateColor } from './machine';
import { serverExporter } from '../exporter';

const filters = [
  <TextInput key="q" source="q" label="Search" alwaysOn />,
  <SelectInput key="state" source="state" choices={refundStateChoices} alwaysOn />,
  <SelectInput key="kind" source="kind" choices={refundKindChoices} />,
  <TextInput key="user_id" source="user_id" label="User" />,
];

export const StateChip = ({ record }: { record: RaRecord }) => <Chip size="small" label={String(record.state)} color={refundStateColor(record.state)} />;

/** Every refund, newest first; filter by state (the approvals queue is `requested`) or kind. */
export const RefundList = () => (
  <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={filters} sort={{ field: 'created_at', order: 'DESC' }} actions={<TopToolbar><ExportButton /></TopToolbar>}>
    <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
      <FunctionField source="state" label="Status" render={(r: RaRecord) => <StateChip record={r} />} />
      <TextField source="kind" />
      <AmountField source="amount" unitSource="currency" />
      <AmountField source="coins" unit="COIN" />
      <ReferenceField source="recharge_id" reference="recharges" link="show" label="Recharge" />
      <TextField source="user_id" label="User" />
      <BooleanField source="needs_approval" label="Four-eyes" />
      <TextField source="requested_by_email" label="Requested by" emptyText="system" />
      <TextField source="failure_reason" label="Failure" emptyText="" />
      <DateField source="created_at" label="Asked at" showTime />
    </DatagridConfigurable>
  </List>
);
