import { Chip, Stack, Typography } from '@mui/material';
import { useRecordContext, type FieldProps } from 'react-admin';
import { evidenceAge } from './choices';

const COLORS = { ok: 'default', soon: 'warning', overdue: 'error' } as const;

/** The evidence due date and its age: red once overdue, amber inside three days. */
export const EvidenceDueField = (_props: FieldProps) => {
  const record = useRecordContext();
  if (!record?.evidence_due_by) return <Typography variant="body2">—</Typography>;
  const age = evidenceAge(record.state, record.evidence_due_by);
  return (
    <Stack direction="row" spacing={1} alignItems="center">
      <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>{new Date(record.evidence_due_by).toLocaleDateString()}</Typography>
      {age && <Chip size="small" data-testid="evidence-age" label={age.label} color={COLORS[age.tone]} />}
    </Stack>
  );
};
