import { BooleanField, DateField, Show, SimpleShowLayout, TextField, TopToolbar } from 'react-admin';
import { RemoveEntryButton } from './RemoveEntryButton';

const ShowActions = () => (
  <TopToolbar>
    <RemoveEntryButton />
  </TopToolbar>
);

export const ListEntryShow = () => (
  <Show actions={<ShowActions />} title="List entry">
    <SimpleShowLayout>
      <TextField source="list" />
      <TextField source="kind" />
      <TextField source="value" />
      <TextField source="reason" />
      <TextField source="author" label="Added by" />
      <DateField source="created_at" label="Added" showTime />
      <DateField source="expires_at" label="Expires" showTime emptyText="never" />
      <BooleanField source="active" />
      <DateField source="removed_at" label="Removed" showTime emptyText="—" />
      <TextField source="removed_by" label="Removed by" emptyText="—" />
      <TextField source="removal_reason" label="Removal reason" emptyText="—" />
    </SimpleShowLayout>
  </Show>
);
