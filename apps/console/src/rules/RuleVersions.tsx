import { Box, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useGetList, useRecordContext } from 'react-admin';
import { actionColor } from './choices';

const MAX_VERSIONS_SHOWN = 100;

/**
 * A rule's versions, newest first, from `GET /api/rules/:id/versions`. The live version is part of
 * the query key, so a save (a new live version) refetches the history.
 */
export const RuleVersions = () => {
  const record = useRecordContext();
  const { data, total, isPending, error } = useGetList(
    `rules/${encodeURIComponent(String(record?.id ?? ''))}/versions`,
    { pagination: { page: 1, perPage: MAX_VERSIONS_SHOWN }, sort: { field: 'version', order: 'DESC' }, meta: { liveVersion: record?.live_version } },
    { enabled: Boolean(record?.id) },
  );
  if (!record) return null;
  return (
    <Box sx={{ mt: 2 }} data-testid="rule-versions">
      <Typography variant="h6">Version history{total !== undefined ? ` (${total})` : ''}</Typography>
      {error ? <Typography color="error">Could not load the history: {String((error as Error).message)}</Typography> : null}
      {isPending ? <Typography color="text.secondary">Loading…</Typography> : null}
      {data?.length ? (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Version</TableCell>
              <TableCell>Expression</TableCell>
              <TableCell>Action</TableCell>
              <TableCell>Score</TableCell>
              <TableCell>Enabled</TableCell>
              <TableCell>Author</TableCell>
              <TableCell>Saved</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map((version) => (
              <TableRow key={version.id} data-testid={`rule-version-${version.version}`} selected={version.version === record.live_version}>
                <TableCell>
                  v{version.version}
                  {version.version === record.live_version ? ' (live)' : ''}
                </TableCell>
                <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'pre-wrap', maxWidth: 520 }}>{version.expression}</TableCell>
                <TableCell>
                  <Chip size="small" label={version.action} color={actionColor(version.action)} />
                </TableCell>
                <TableCell>{version.score}</TableCell>
                <TableCell>{version.enabled ? 'yes' : 'no'}</TableCell>
                <TableCell>{version.author}</TableCell>
                <TableCell>{new Date(version.created_at).toLocaleString()}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Box>
  );
};
