import { Chip, Stack } from '@mui/material';
import {
  DatagridConfigurable, DateField, ExportButton, FunctionField, List, ReferenceField, SelectInput, TextField, TextInput, TopToolbar, usePermissions, type RaRecord,
} from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { BulkApproveButton } from './BulkApproveButton';
import { DECIDERS, HOLD_LABELS, holdReasonChoices, payoutStateChoices, payoutStateColor } from './machine';
import { PayoutTotalsPanel } from './PayoutTotalsPanel';
import { serverExporter } from '../exporter';

const filters = [
  <TextInput key="q" source="q" label="Search" alwaysOn />,
  <SelectInput key="state" source="state" choices={payoutStateChoices} alwaysOn />,
  <SelectInput key="hold_reason" source="hold_reason" label="Hold reason" choices={holdReasonChoices} alwaysOn />,
  <TextInput key="creator_id" source="creator_id" label="Creator" />,
  <TextInput key="currency" source="currency" />,
  <TextInput key="method" source="method" />,
  <TextInput key="batch_id" source="batch_id" label="Batch" />,
];

export const PayoutStateChip = ({ record }: { record: RaRecord }) => (
  <Chip size="small" label={String(record.state).replace('_', ' ')} color={payoutStateColor(record.state)} data-testid="payout-state" />
);

export const HoldReasons = ({ record }: { record: RaRecord }) => (
  <Stack direction="row" spacing={0.5} flexWrap="wrap" useFlexGap data-testid="payout-hold-reasons">
    {((record.hold_reasons as string[]) ?? []).map((reason) => (
      <Chip key={reason} size="small" variant="outlined" color="warning" label={HOLD_LABELS[reason as keyof typeof HOLD_LABELS] ?? reason} data-reason={reason} />
    ))}
  </Stack>
);

/** Finance's queue: payouts with their hold reasons and approvals; totals of the selection by currency and method. */
export const PayoutList = () => {
  const { permissions: role } = usePermissions<string>();
  const decider = DECIDERS.includes(String(role));
  return (
    <List exporter={serverExporter({ sort: ['created_at', 'DESC'] })} filters={filters} filterDefaultValues={{ state: 'pending_approval' }} sort={{ field: 'created_at', order: 'DESC' }} actions={<TopToolbar><ExportButton /></TopToolbar>} aside={undefined}>
      <PayoutTotalsPanel />
      <DatagridConfigurable rowClick="show" bulkActionButtons={decider ? <BulkApproveButton /> : false}>
        <FunctionField source="state" label="Status" render={(r: RaRecord) => <PayoutStateChip record={r} />} />
        <FunctionField label="Holds" render={(r: RaRecord) => <HoldReasons record={r} />} />
        <ReferenceField source="creator_id" reference="creators" link="show" label="Creator" />
        <AmountField source="amount" unitSource="currency" />
        <AmountField source="diamonds" unit="DIAMOND" />
        <TextField source="method" />
        <FunctionField label="Approvals" render={(r: RaRecord) => `${r.approvals}/${r.approvals_required}`} />
        <TextField source="payout_id" label="Platform id" />
        <DateField source="created_at" label="Requested" showTime />
      </DatagridConfigurable>
    </List>
  );
};
