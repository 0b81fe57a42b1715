import { DateField, Labeled, Show, SimpleShowLayout, TextField } from 'react-admin';
import { AuditEventDiff } from './AuditEventDiff';

export const AuditEventShow = () => (
  <Show title="Audit event">
    <SimpleShowLayout>
      <DateField source="created_at" label="Time" showTime />
      <TextField source="actor_email" label="Actor" emptyText="system" />
      <TextField source="actor_id" label="Actor id" emptyText="—" />
      <TextField source="action" />
      <TextField source="entity" />
      <TextField source="entity_id" label="Entity id" emptyText="—" />
      <TextField source="reason" emptyText="—" />
      <TextField source="request_id" label="Request id" emptyText="—" />
      <Labeled label="Change" fullWidth>
        <AuditEventDiff />
      </Labeled>
    </SimpleShowLayout>
  </Show>
);
