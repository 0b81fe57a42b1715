import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { asOf, ChartCard } from './ChartCard';
import { bucketLabel, DECISION_COLORS, formatCount, plot, useDashboard, type Decisions } from './dashboardApi';

const ORDER = ['allow', 'review', 'block', 'pending'];

/** Risk decisions on recharges per day: allow, review, block (and pending while unevaluated), stacked. */
export const DecisionsChart = ({ days = 30 }: { days?: number }) => {
  const { data, isPending, error } = useDashboard<Decisions>(`/dashboard/decisions?days=${days}`);
  const rows = new Map<string, Record<string, string | number>>();
  for (const b of data?.buckets ?? []) {
    const row = rows.get(b.at) ?? { label: bucketLabel(b.at, data!.bucket) };
    row[b.decision] = plot(b.recharges);
    row[`${b.decision}__text`] = b.recharges;
    rows.set(b.at, row);
  }
  const present = ORDER.filter((d) => data?.buckets.some((b) => b.decision === d));
  return (
    <ChartCard id="decisions" title="Decisions" subtitle={asOf(data?.as_of)} loading={isPending} error={error} hasData={rows.size > 0}>
      <ResponsiveContainer width="100%" height={260}>
        <AreaChart data={[...rows.values()]}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis />
          <Tooltip formatter={(_v, name, item) => [formatCount(String((item.payload as Record<string, unknown>)[`${String(name)}__text`] ?? '0')), name]} />
          <Legend />
          {present.map((d) => (
            <Area key={d} type="monotone" dataKey={d} stackId="decisions" stroke={DECISION_COLORS[d]} fill={DECISION_COLORS[d]} dot={rows.size < 3} isAnimationActive={false} />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
