import { MenuItem, TextField } from '@mui/material';
import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAmount, minorDigits } from '../fields/amount';
import { asOf, ChartCard } from './ChartCard';
import { bucketLabel, formatCount, METHOD_COLORS, plot, useDashboard, type RechargesByMethod } from './dashboardApi';

type Row = Record<string, string | number>;

/** Per bucket, one column per method: the count, or the value in one currency (minor units kept for the tooltip). */
function pivot(data: RechargesByMethod, measure: 'recharges' | 'amount', currency?: string): { rows: Row[]; methods: string[] } {
  const rows = new Map<string, Row>();
  const methods = new Set<string>();
  for (const b of data.buckets) {
    if (currency && b.currency !== currency) continue;
    const row = rows.get(b.at) ?? { at: b.at, label: bucketLabel(b.at, data.bucket) };
    const minorKey = `${b.method}__minor`;
    const sum = (BigInt(String(row[minorKey] ?? '0')) + BigInt(b[measure])).toString();
    row[minorKey] = sum;
    row[b.method] = measure === 'amount' ? plot(sum) / 10 ** minorDigits(b.currency) : plot(sum);
    methods.add(b.method);
    rows.set(b.at, row);
  }
  return { rows: [...rows.values()], methods: [...methods].sort() };
}

/** The currency with the most recharges in the window: the value chart's default. */
function mainCurrency(data: RechargesByMethod | undefined): string | undefined {
  const counts = new Map<string, bigint>();
  for (const b of data?.buckets ?? []) counts.set(b.currency, (counts.get(b.currency) ?? 0n) + BigInt(b.recharges));
  return [...counts.entries()].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0].localeCompare(b[0])))[0]?.[0];
}

const MethodBars = ({ rows, methods, format }: { rows: Row[]; methods: string[]; format: (row: Row, method: string) => string }) => (
  <ResponsiveContainer width="100%" height={260}>
    <BarChart data={rows}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="label" />
      <YAxis />
      <Tooltip formatter={(_value, name, item) => [format(item.payload as Row, String(name)), String(name).replace('_', ' ')]} />
      <Legend />
      {methods.map((m) => (
        <Bar key={m} dataKey={m} stackId="methods" fill={METHOD_COLORS[m] ?? '#757575'} isAnimationActive={false} />
      ))}
    </BarChart>
  </ResponsiveContainer>
);

/** Recharge volume (count) and value (one currency at a time) by payment method over the last 30 days. */
export const RechargesCharts = ({ days = 30 }: { days?: number }) => {
  const { data, isPending, error } = useDashboard<RechargesByMethod>(`/dashboard/recharges?days=${days}`);
  const currencies = useMemo(() => [...new Set((data?.buckets ?? []).map((b) => b.currency))].sort(), [data]);
  const [chosen, setChosen] = useState<string>();
  const currency = chosen && currencies.includes(chosen) ? chosen : mainCurrency(data);
  const volume = data ? pivot(data, 'recharges') : { rows: [], methods: [] };
  const value = data && currency ? pivot(data, 'amount', currency) : { rows: [], methods: [] };
  const hasData = volume.rows.length > 0;
  return (
    <>
      <ChartCard id="recharge-volume" title="Recharges by method" subtitle={asOf(data?.as_of)} loading={isPending} error={error} hasData={hasData}>
        <MethodBars rows={volume.rows} methods={volume.methods} format={(row, m) => formatCount(String(row[`${m}__minor`] ?? '0'))} />
      </ChartCard>
      <ChartCard
        id="recharge-value"
        title="Recharge value by method"
        subtitle={
          currencies.length > 1 ? (
            <TextField select size="small" label="Currency" value={currency ?? ''} onChange={(e) => setChosen(e.target.value)} sx={{ minWidth: 120, mt: 1 }}>
              {currencies.map((c) => (
                <MenuItem key={c} value={c}>
                  {c}
                </MenuItem>
              ))}
            </TextField>
          ) : (
            currency
          )
        }
        loading={isPending}
        error={error}
        hasData={hasData}
      >
        <MethodBars rows={value.rows} methods={value.methods} format={(row, m) => formatAmount(String(row[`${m}__minor`] ?? '0'), currency ?? 'USD')} />
      </ChartCard>
    </>
  );
};
