import { Alert, Box, Button, Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatAmount } from '../fields/amount';
import { createSessionStore } from '../session';
import { getJson, postJson } from './dashboardApi';

interface KindSummary {
  provider: { count: number; amounts: Record<string, string> };
  ledger: { count: number; amounts: Record<string, string> };
  matched: number;
  not_booked: number;
  differences: number;
}

interface ReconciliationDay {
  day: string;
  generated: boolean;
  reports: Array<{ provider: string; summary: Record<'charge' | 'refund' | 'dispute', KindSummary>; differences: number; generated_at: string; generated_by: string }>;
  differences: Array<{ provider: string; kind: string; difference: string; reference: string; currency: string | null; provider_amount: string | null; ledger_amount: string | null; detail: string | null }>;
  differences_total: number;
}

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const amounts = (byCurrency: Record<string, string>) => Object.entries(byCurrency).map(([c, a]) => formatAmount(a, c)).join(' + ') || '—';

async function downloadCsv(day: string): Promise<void> {
  const token = createSessionStore().read()?.token;
  const response = await fetch(`/api/reports/reconciliation/csv?date=${day}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: `reconciliation-${day}.csv` });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Finance's daily reconciliation: what each provider reported against the ledger, every difference listed. */
export const Reconciliation = () => {
  const [day, setDay] = useState(yesterday());
  const queryClient = useQueryClient();
  const { data, error, isPending } = useQuery({ queryKey: ['reconciliation', day], queryFn: () => getJson<ReconciliationDay>(`/reports/reconciliation?date=${day}`), enabled: /^\d{4}-\d{2}-\d{2}$/.test(day) });
  const run = useMutation({
    mutationFn: () => postJson('/reports/reconciliation/run', { date: day }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['reconciliation', day] }),
  });
  return (
    <Card data-testid="reconciliation" sx={{ flex: '1 1 100%' }}>
      <CardContent>
        <Typography variant="h6">Reconciliation</Typography>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', my: 1, flexWrap: 'wrap' }}>
          <TextField type="date" size="small" label="Day (UTC)" value={day} onChange={(e) => setDay(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
          <Button variant="outlined" onClick={() => run.mutate()} disabled={run.isPending}>
            Reconcile now
          </Button>
          <Button onClick={() => void downloadCsv(day)} disabled={!data?.generated}>
            Download differences (CSV)
          </Button>
        </Box>
        {(error || run.error) && <Alert severity="error">{((error ?? run.error) as Error).message}</Alert>}
        {!isPending && data && !data.generated && <Typography color="text.secondary">No report for {day} yet: the worker reconciles yesterday every hour.</Typography>}
        {data?.reports.map((report) => (
          <Box key={report.provider} sx={{ mb: 2 }} data-testid={`reconciliation-${report.provider}`}>
            <Typography variant="subtitle1">
              {report.provider}: {report.differences} difference{report.differences === 1 ? '' : 's'}
            </Typography>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell />
                  <TableCell>Provider reported</TableCell>
                  <TableCell>Ledger booked</TableCell>
                  <TableCell align="right">Matched</TableCell>
                  <TableCell align="right">Not booked by design</TableCell>
                  <TableCell align="right">Differences</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {(['charge', 'refund', 'dispute'] as const).map((kind) => {
                  const s = report.summary[kind];
                  return (
                    <TableRow key={kind}>
                      <TableCell>{kind}s</TableCell>
                      <TableCell>{s.provider.count} · {amounts(s.provider.amounts)}</TableCell>
                      <TableCell>{s.ledger.count} · {amounts(s.ledger.amounts)}</TableCell>
                      <TableCell align="right">{s.matched}</TableCell>
                      <TableCell align="right">{s.not_booked}</TableCell>
                      <TableCell align="right">{s.differences}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </Box>
        ))}
        {data && data.differences.length > 0 && (
          <Table size="small" data-testid="reconciliation-differences">
            <TableHead>
              <TableRow>
                <TableCell>Kind</TableCell>
                <TableCell>Difference</TableCell>
                <TableCell>Charge</TableCell>
                <TableCell>Provider</TableCell>
                <TableCell>Ledger</TableCell>
                <TableCell>Detail</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.differences.map((d, i) => (
                <TableRow key={i}>
                  <TableCell>{d.kind}</TableCell>
                  <TableCell>{d.difference.replace(/_/g, ' ')}</TableCell>
                  <TableCell>{d.reference}</TableCell>
                  <TableCell>{d.provider_amount ? formatAmount(d.provider_amount, d.currency ?? 'USD') : '—'}</TableCell>
                  <TableCell>{d.ledger_amount ? formatAmount(d.ledger_amount, d.currency ?? 'USD') : '—'}</TableCell>
                  <TableCell>{d.detail}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {data && data.differences_total > data.differences.length && (
          <Typography variant="body2" color="text.secondary">
            Showing {data.differences.length} of {data.differences_total}; the CSV has every one.
          </Typography>
        )}
      </CardContent>
    </Card>
  );
};
