import BatchIcon from '@mui/icons-material/Inventory2';
import { Chip, Stack } from '@mui/material';
import {
  Button, Datagrid, DateField, FunctionField, List, NumberField, ReferenceManyField, Show, SimpleShowLayout, TextField, useCanAccess, useNotify, useRecordContext, type RaRecord,
} from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { PayoutStateChip } from './PayoutList';
import { downloadBatchCsv } from './payoutsApi';

const Totals = ({ record }: { record: RaRecord }) => (
  <Stack direction="row" spacing={1}>
    {((record.totals as Array<{ currency: string; amount: string }>) ?? []).map((t) => (
      <AmountField key={t.currency} record={{ id: t.currency, amount: t.amount, currency: t.currency }} source="amount" unitSource="currency" />
    ))}
  </Stack>
);

const States = ({ record }: { record: RaRecord }) => (
  <Stack direction="row" spacing={0.5}>
    {Object.entries((record.states as Record<string, number>) ?? {}).map(([state, n]) => (
      <Chip key={state} size="small" label={`${state} ${n}`} />
    ))}
  </Stack>
);

/** The CSV of one batch, for finance (the API refuses the others). */
const ExportCsvButton = () => {
  const record = useRecordContext();
  const notify = useNotify();
  const { canAccess } = useCanAccess({ resource: 'payout-batches', action: 'export' });
  if (!record || !canAccess) return null;
  return (
    <Button
      label="Export CSV"
      data-action="payout-batch-export"
      onClick={(event) => {
        event.stopPropagation();
        downloadBatchCsv(String(record.id)).catch((error: Error) => notify(error.message, { type: 'error' }));
      }}
    />
  );
};

const BatchList = () => (
  <List sort={{ field: 'created_at', order: 'DESC' }} exporter={false}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <DateField source="created_at" label="Taken" showTime />
      <TextField source="method" />
      <NumberField source="payout_count" label="Payouts" />
      <FunctionField label="Totals" render={(r: RaRecord) => <Totals record={r} />} />
      <FunctionField label="States" render={(r: RaRecord) => <States record={r} />} />
      <ExportCsvButton />
    </Datagrid>
  </List>
);

const BatchShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="id" />
      <TextField source="method" />
      <DateField source="created_at" showTime />
      <FunctionField label="Totals" render={(r: RaRecord) => <Totals record={r} />} />
      <ExportCsvButton />
      <ReferenceManyField reference="payouts" target="batch_id" label="Payouts">
        <Datagrid rowClick="show" bulkActionButtons={false}>
          <FunctionField label="Status" render={(r: RaRecord) => <PayoutStateChip record={r} />} />
          <TextField source="creator_id" />
          <AmountField source="amount" unitSource="currency" />
          <TextField source="provider_payout_id" emptyText="" />
          <TextField source="failure_reason" emptyText="" />
        </Datagrid>
      </ReferenceManyField>
    </SimpleShowLayout>
  </Show>
);

export default {
  list: BatchList,
  show: BatchShow,
  icon: BatchIcon,
  options: { label: 'Payout batches' },
  recordRepresentation: (record: RaRecord) => `batch ${String(record.id).slice(0, 8)} (${record.method})`,
};
