import { Alert, Card, Chip, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { DateField, FunctionField, Show, SimpleShowLayout, TextField, useRecordContext, type RaRecord } from 'react-admin';
import { EvidencePanels } from '../reviews/EvidencePanels';
import type { Evidence } from '../reviews/evidenceTypes';
import { ReportActions } from './ReportActions';
import { ReportStateField } from './UnauthorizedActivityList';

const SecurityChanges = () => {
  const record = useRecordContext();
  const changes = (record?.security_changes as Array<{ change: string; device_id: string | null; ip: string | null; occurred_at: string }>) ?? [];
  return (
    <Card variant="outlined" data-testid="security-changes">
      <CardContent>
        <Typography variant="h6">Security changes (90 days)</Typography>
        {changes.length === 0 ? (
          <Typography color="text.secondary">None reported by the platform.</Typography>
        ) : (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>When</TableCell>
                <TableCell>Change</TableCell>
                <TableCell>Device</TableCell>
                <TableCell>IP</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {changes.map((c, i) => (
                <TableRow key={i}>
                  <TableCell>{new Date(c.occurred_at).toLocaleString()}</TableCell>
                  <TableCell>{c.change}</TableCell>
                  <TableCell>{c.device_id ?? '—'}</TableCell>
                  <TableCell>{c.ip ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
};

const Outcome = () => {
  const record = useRecordContext();
  const refunds = ((record?.actions as { refunds?: Array<{ recharge_id: string; unspent_coins: string; refund_id: string | null; state: string | null }> })?.refunds) ?? [];
  if (!refunds.length) return null;
  return (
    <Alert severity="info" data-testid="report-refunds">
      Refunds: {refunds.map((r) => `${r.recharge_id}: ${r.unspent_coins} unspent coins → ${r.refund_id ? `refund ${r.state}` : 'nothing to refund'}`).join('; ')}
    </Alert>
  );
};

const Evidence = () => {
  const record = useRecordContext();
  return record?.evidence ? <EvidencePanels evidence={record.evidence as Evidence} /> : null;
};

export const UnauthorizedActivityShow = () => (
  <Show actions={<ReportActions />} title="Unauthorized activity report">
    <SimpleShowLayout>
      <ReportStateField />
      <TextField source="user_id" label="User" />
      <TextField source="description" />
      <DateField source="reported_at" showTime />
      <FunctionField
        label="Reported recharges"
        render={(r: RaRecord) =>
          (r.recharge_ids as string[]).length ? (r.recharge_ids as string[]).map((id) => <Chip key={id} size="small" label={id} sx={{ mr: 0.5 }} />) : '—'
        }
      />
      <TextField source="decision_reason" emptyText="—" />
      <Outcome />
      <SecurityChanges />
      <Evidence />
    </SimpleShowLayout>
  </Show>
);
