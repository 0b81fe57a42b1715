import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAmount } from '../fields/amount';
import { asOf, ChartCard } from './ChartCard';
import { formatCount, plot, useDashboard, type PayoutsByState } from './dashboardApi';

/** Payouts by state (all currencies): how many, and their diamonds and cash in the tooltip. */
export const PayoutsChart = () => {
  const { data, isPending, error } = useDashboard<PayoutsByState>('/dashboard/payouts');
  const byState = new Map<string, { label: string; payouts: number; count: bigint; diamonds: bigint; amounts: string[] }>();
  for (const s of data?.states ?? []) {
    const row = byState.get(s.state) ?? { label: s.state.replace(/_/g, ' '), payouts: 0, count: 0n, diamonds: 0n, amounts: [] };
    row.count += BigInt(s.payouts);
    row.payouts = plot(row.count.toString());
    row.diamonds += BigInt(s.diamonds);
    row.amounts.push(formatAmount(s.amount, s.currency));
    byState.set(s.state, row);
  }
  return (
    <ChartCard id="payouts" title="Payouts by state" subtitle={asOf(data?.as_of)} loading={isPending} error={error} hasData={Boolean(data?.has_data)}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={[...byState.values()]}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip
            formatter={(_v, _n, item) => {
              const row = item.payload as { count: bigint; diamonds: bigint; amounts: string[] };
              return [`${formatCount(row.count.toString())} (${formatAmount(row.diamonds.toString(), 'DIAMOND')}; ${row.amounts.join(' + ')})`, 'Payouts'];
            }}
          />
          <Bar dataKey="payouts" fill="#5e35b1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
