import { serverExporter } from '../../exporter';
import {
  ChipField,
  DatagridConfigurable,
  DateField,
  DateTimeInput,
  ExportButton,
  FilterButton,
  FunctionField,
  List,
  SearchInput,
  SelectColumnsButton,
  TextField,
  TextInput,
  TopToolbar,
  type RaRecord,
} from 'react-admin';
import { Postings } from './Postings';

/** `<input type="datetime-local">` has no zone; send the instant the operator meant, in UTC. */
const toIsoInstant = (value: string) => (value ? new Date(value).toISOString() : null);

const transactionFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Id, key or reference" />,
  <TextInput key="type" source="type" />,
  <TextInput key="account" source="account" label="Account code" />,
  <TextInput key="reference_id" source="reference_id" label="Reference id" />,
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

/** The journal, newest first; a row expands into its postings. Append-only: no action changes it. */
export const LedgerTransactionList = () => (
  <List exporter={serverExporter({ sort: ['id', 'DESC'] })} filters={transactionFilters} sort={{ field: 'id', order: 'DESC' }} perPage={25} actions={<ListActions />} title="Ledger transactions">
    <DatagridConfigurable rowClick="expand" expand={<Postings />} bulkActionButtons={false}>
      <TextField source="id" />
      <DateField source="created_at" label="Time" showTime />
      <TextField source="type" />
      <ChipField source="state" size="small" sortable={false} />
      <FunctionField label="Reference" sortable={false} render={(record: RaRecord) => (record.reference_type ? `${record.reference_type} ${record.reference_id}` : '—')} />
      <TextField source="idempotency_key" label="Idempotency key" sortable={false} />
      <FunctionField label="Postings" sortable={false} render={(record: RaRecord) => String(record.postings?.length ?? 0)} />
    </DatagridConfigurable>
  </List>
);
