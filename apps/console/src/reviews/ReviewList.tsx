import { serverExporter } from '../exporter';
import { Chip, Stack, Typography } from '@mui/material';
import {
  DatagridConfigurable,
  DateField,
  ExportButton,
  FilterButton,
  FunctionField,
  List,
  SearchInput,
  SelectColumnsButton,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
  type RaRecord,
} from 'react-admin';
import { formatAmount } from '../fields/amount';
import { paymentMethodChoices, toMinorUnits } from '../recharges/choices';
import { severityColor } from '../rules/choices';
import { BulkDecisionButtons } from './BulkDecisionButtons';
import { reviewSeverityChoices, reviewStateColor } from './choices';
import { QueueTabs } from './QueueTabs';
import { SlaCountdown } from './SlaCountdown';
import { useNextItem } from './useNextItem';
import { useShortcuts } from './useShortcuts';

/** The filters of `GET /api/reviews` (REVIEWS_LIST in libs/reviews). The state comes from the tabs. */
const reviewFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Item or user id" />,
  <SelectInput key="severity" source="severity" choices={reviewSeverityChoices} />,
  <TextInput key="rule" source="rule" label="Rule key" />,
  <SelectInput key="method" source="method" choices={paymentMethodChoices} />,
  <TextInput key="country" source="country" label="User country (ISO)" parse={(v: string) => v.toUpperCase()} />,
  <TextInput key="bin_country" source="bin_country" label="Card country (ISO)" parse={(v: string) => v.toUpperCase()} />,
  <TextInput key="amount_gte" source="amount_gte" label="Amount from (minor units)" parse={toMinorUnits} />,
  <TextInput key="amount_lte" source="amount_lte" label="Amount to (minor units)" parse={toMinorUnits} />,
  <TextInput key="assignee" source="assignee" label="Assignee email" />,
  <TextInput key="user_id" source="user_id" label="User id" />,
];

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

const Shortcuts = () => {
  const next = useNextItem();
  useShortcuts({ n: () => void next() });
  return (
    <Typography variant="caption" color="text.secondary" sx={{ ml: 1 }}>
      Keys: <b>n</b> next item · on an item <b>c</b> claim, <b>a</b> approve, <b>r</b> reject, <b>e</b> escalate, <b>n</b> next
    </Typography>
  );
};

/** Trust and safety's queue: soonest SLA first, tabs per state with counts, bulk decisions on a selection. */
export const ReviewList = () => (
  <List
    exporter={serverExporter({ filter: { state: ['open', 'in_review', 'escalated'] }, sort: ['sla_due_at', 'ASC'] })}
    filters={reviewFilters}
    filterDefaultValues={{ state: ['open', 'in_review', 'escalated'] }}
    sort={{ field: 'sla_due_at', order: 'ASC' }}
    perPage={25}
    actions={<ListActions />}
    title="Review queue"
  >
    <QueueTabs />
    <Shortcuts />
    <DatagridConfigurable rowClick="show" bulkActionButtons={<BulkDecisionButtons />}>
      <FunctionField source="sla_due_at" label="SLA" render={(r: RaRecord) => <SlaCountdown dueAt={r.sla_due_at} state={r.state} />} />
      <FunctionField source="severity" render={(r: RaRecord) => <Chip size="small" label={r.severity} color={severityColor(r.severity)} />} />
      <FunctionField source="state" render={(r: RaRecord) => <Chip size="small" label={String(r.state).replace(/_/g, ' ')} color={reviewStateColor(r.state)} />} />
      <TextField source="user_id" label="User" sortable={false} />
      <FunctionField
        label="Rules"
        sortable={false}
        render={(r: RaRecord) => (
          <Stack direction="row" spacing={0.5} flexWrap="wrap">
            {(r.rule_keys as string[]).map((key) => (
              <Chip key={key} size="small" variant="outlined" label={key} />
            ))}
          </Stack>
        )}
      />
      <FunctionField source="coins" textAlign="right" render={(r: RaRecord) => formatAmount(r.coins, 'COIN')} />
      <FunctionField source="amount" textAlign="right" render={(r: RaRecord) => (r.amount ? formatAmount(r.amount, r.currency) : 'mixed')} />
      <FunctionField label="Method" sortable={false} render={(r: RaRecord) => (r.methods as string[]).join(', ')} />
      <FunctionField label="Country" sortable={false} render={(r: RaRecord) => [...new Set([r.user_country, ...(r.bin_countries as string[])].filter(Boolean))].join(' / ') || '—'} />
      <TextField source="assigned_email" label="Assignee" sortable={false} emptyText="—" />
      <DateField source="created_at" label="Opened" showTime />
    </DatagridConfigurable>
  </List>
);
