import { Box, Typography } from '@mui/material';

/** Cap what one panel renders: an audit snapshot is bounded server-side, but a browser tab is not a log viewer. */
const MAX_JSON_CHARS = 20_000;

export function formatJson(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = JSON.stringify(value, null, 2);
  return text.length > MAX_JSON_CHARS ? `${text.slice(0, MAX_JSON_CHARS)}\n… (truncated)` : text;
}

export const JsonBlock = ({ title, value }: { title: string; value: unknown }) => (
  <Box sx={{ flex: 1, minWidth: 0 }}>
    <Typography variant="overline">{title}</Typography>
    <Box
      component="pre"
      sx={{ m: 0, p: 1, borderRadius: 1, bgcolor: 'action.hover', fontSize: 12, overflow: 'auto', maxHeight: 400 }}
    >
      {formatJson(value)}
    </Box>
  </Box>
);
