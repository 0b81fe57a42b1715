import { Box } from '@mui/material';
import { BooleanField, ChipField, DateField, EditButton, NumberField, Show, SimpleShowLayout, TextField, TopToolbar, useRecordContext } from 'react-admin';
import { BacktestPanel } from './BacktestPanel';
import { RuleVersions } from './RuleVersions';

const ShowActions = () => (
  <TopToolbar>
    <EditButton />
  </TopToolbar>
);

const Expression = () => {
  const record = useRecordContext();
  return (
    <Box component="pre" sx={{ m: 0, p: 1, borderRadius: 1, bgcolor: 'action.hover', fontSize: 13, whiteSpace: 'pre-wrap' }}>
      {String(record?.expression ?? '')}
    </Box>
  );
};

/** Read-only view (what a viewer gets): the live version and the history. */
export const RuleShow = () => (
  <Show actions={<ShowActions />}>
    <SimpleShowLayout>
      <TextField source="key" />
      <TextField source="name" />
      <TextField source="event_kind" label="Applies to" />
      <Expression />
      <ChipField source="action" />
      <NumberField source="score" />
      <ChipField source="severity" />
      <TextField source="description" emptyText="—" />
      <BooleanField source="enabled" />
      <NumberField source="live_version" />
      <TextField source="author" label="Live version by" />
      <DateField source="updated_at" showTime />
      <RuleVersions />
      <BacktestPanel />
    </SimpleShowLayout>
  </Show>
);
