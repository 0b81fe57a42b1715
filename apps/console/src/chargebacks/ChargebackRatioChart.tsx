import { Alert, Button, Card, CardContent, CardHeader, Chip, MenuItem, Stack, TextField as MuiTextField } from '@mui/material';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useCanAccess } from 'react-admin';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { createHttpClient } from '../dataProvider/httpClient';
import { createSessionStore } from '../session';
import { linesFor, monthlyRatios, type RatioPoint, type RatioThreshold } from './ratio';

const LINE_COLORS = ['#ed6c02', '#d32f2f', '#9c27b0', '#0288d1', '#2e7d32', '#795548'];

/**
 * Disputes ÷ transactions per calendar month (and VAMP's disputes + fraud warnings), for one card brand
 * or all, with the monitoring thresholds drawn as lines (docs/chargebacks.md, "Ratio monitor").
 */
export const ChargebackRatioChart = ({ apiUrl = '/api' }: { apiUrl?: string }) => {
  const [points, setPoints] = useState<RatioPoint[]>([]);
  const [thresholds, setThresholds] = useState<RatioThreshold[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [brand, setBrand] = useState<string>('');
  const [version, setVersion] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const { canAccess: canRefresh } = useCanAccess({ resource: 'chargebacks', action: 'refresh-ratio' });
  const http = useMemo(() => {
    const sessions = createSessionStore();
    return createHttpClient(() => sessions.read()?.token ?? null);
  }, []);

  useEffect(() => {
    let live = true;
    http(`${apiUrl}/chargeback-ratio`)
      .then(({ json }) => {
        if (!live) return;
        setPoints(json.points ?? []);
        setThresholds(json.thresholds ?? []);
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [apiUrl, http, version]);

  const refresh = useCallback(() => {
    setRefreshing(true);
    http(`${apiUrl}/chargeback-ratio/refresh`, { method: 'POST', body: '{}' })
      .then(() => setVersion((v) => v + 1))
      .catch((e: Error) => setError(e.message))
      .finally(() => setRefreshing(false));
  }, [apiUrl, http]);

  const brands = useMemo(() => [...new Set(points.map((p) => p.card_brand))].sort(), [points]);
  const chosen = brand === '' ? null : brand;
  const data = useMemo(() => monthlyRatios(points, chosen), [points, chosen]);
  const lines = useMemo(() => linesFor(thresholds, chosen), [thresholds, chosen]);

  return (
    <Card sx={{ mt: 1 }} data-testid="chargeback-ratio-chart">
      <CardHeader
        title="Chargeback ratio by month"
        subheader="Disputes ÷ transactions stored that month; VAMP also counts early fraud warnings"
        action={
          <Stack direction="row" spacing={1} alignItems="center">
            {canRefresh && (
              <Button size="small" data-action="refresh-ratio" disabled={refreshing} onClick={refresh}>
                Recompute now
              </Button>
            )}
            <MuiTextField select size="small" label="Card brand" value={brand} onChange={(e) => setBrand(e.target.value)} sx={{ minWidth: 160 }}>
              <MenuItem value="">All brands</MenuItem>
              {brands.map((b) => <MenuItem key={b} value={b}>{b}</MenuItem>)}
            </MuiTextField>
          </Stack>
        }
      />
      <CardContent>
        {error && <Alert severity="error">{error}</Alert>}
        {!error && data.length === 0 && <Alert severity="info">No transactions or disputes measured yet (the monitor runs hourly).</Alert>}
        {data.length > 0 && (
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={data} margin={{ top: 8, right: 24, left: 0, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="month" />
              <YAxis unit=" %" />
              <Tooltip formatter={(value: unknown) => (value === null || value === undefined ? '—' : `${value} %`)} />
              <Legend />
              <Line type="monotone" dataKey="disputeRatio" name="Disputes" stroke="#1976d2" dot connectNulls />
              <Line type="monotone" dataKey="vampRatio" name="Disputes + fraud warnings (VAMP)" stroke="#5e35b1" strokeDasharray="4 2" dot connectNulls />
              {lines.map((line, n) => (
                <ReferenceLine key={line.id} y={line.percent} stroke={LINE_COLORS[n % LINE_COLORS.length]} strokeDasharray="6 3" />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
        {data.length > 0 && (
          <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" sx={{ mt: 1 }} data-testid="ratio-thresholds">
            {lines.map((line, n) => (
              <Chip key={line.id} size="small" variant="outlined" label={line.label} sx={{ borderColor: LINE_COLORS[n % LINE_COLORS.length], color: LINE_COLORS[n % LINE_COLORS.length] }} />
            ))}
          </Stack>
        )}
      </CardContent>
    </Card>
  );
};
