import { Stack } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { JsonBlock } from './JsonBlock';

/** The record before and after the action, side by side: the expand panel of a row and the body of the show view. */
export const AuditEventDiff = () => {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ py: 1 }} data-testid="audit-diff">
      <JsonBlock title="Before" value={record.before} />
      <JsonBlock title="After" value={record.after} />
    </Stack>
  );
};
