import { serverExporter } from '../exporter';
import {
  DatagridConfigurable,
  DateField,
  ExportButton,
  FilterButton,
  List,
  SelectColumnsButton,
  ShowButton,
  TextField,
  TopToolbar,
} from 'react-admin';
import { AuditEventDiff } from './AuditEventDiff';
import { auditFilters } from './auditFilters';

const ListActions = () => (
  <TopToolbar>
    <SelectColumnsButton />
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

/** Read-only: no create, edit or bulk actions; the table is append-only in the database too. */
export const AuditEventList = () => (
  <List
    exporter={serverExporter({ sort: ['created_at', 'DESC'] })}
    filters={auditFilters}
    sort={{ field: 'created_at', order: 'DESC' }}
    perPage={50}
    actions={<ListActions />}
    title="Audit log"
  >
    <DatagridConfigurable rowClick="expand" expand={<AuditEventDiff />} bulkActionButtons={false}>
      <DateField source="created_at" label="Time" showTime />
      <TextField source="actor_email" label="Actor" sortable={false} emptyText="system" />
      <TextField source="action" />
      <TextField source="entity" />
      <TextField source="entity_id" label="Entity id" sortable={false} />
      <TextField source="reason" sortable={false} />
      <TextField source="request_id" label="Request id" sortable={false} />
      <ShowButton />
    </DatagridConfigurable>
  </List>
);
