import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard } from './ChartCard';
import { formatCount, useDashboard, type ChargebackRatio } from './dashboardApi';

/** Parts per million as a percentage string, from the integer: `15000` → `1.50 %`. */
export const ppmAsPercent = (ppm: string): string => {
  const value = BigInt(ppm);
  return `${value / 10_000n}.${String((value % 10_000n) / 100n).padStart(2, '0')} %`;
};

const LINE_COLORS: Record<string, string> = { early_warning: '#fdd835', warning: '#fb8c00', excessive: '#e53935', high_excessive: '#6a1b9a' };

/** The chargeback ratio by month (disputes ÷ that month's recharges) against each programme's threshold. */
export const ChargebackRatioChart = ({ months = 12 }: { months?: number }) => {
  const { data, isPending, error } = useDashboard<ChargebackRatio>(`/dashboard/chargeback-ratio?months=${months}`);
  const rows = (data?.monthly ?? []).map((m) => ({ label: m.month, ratio: Number(m.ratio_ppm) / 10_000, ratio_ppm: m.ratio_ppm, disputes: m.disputes, transactions: m.transactions }));
  const crossed = (data?.monthly ?? []).flatMap((m) => Object.entries(m.by_threshold).filter(([, t]) => t.crossed).map(([id]) => `${m.month}: ${id}`));
  return (
    <ChartCard
      id="chargeback-ratio"
      title="Chargeback ratio"
      subtitle={crossed.length ? `Thresholds crossed — ${crossed.join(', ')}` : 'Disputes ÷ recharges per month, against the card programmes'}
      loading={isPending}
      error={error}
      hasData={Boolean(data?.has_data)}
      emptyText={data?.available === false ? 'No data yet: chargebacks are not recorded here yet' : 'No data yet'}
    >
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis unit=" %" />
          <Tooltip
            formatter={(_v, _name, item) => {
              const row = item.payload as (typeof rows)[number];
              return [`${ppmAsPercent(row.ratio_ppm)} (${formatCount(row.disputes)} of ${formatCount(row.transactions)})`, 'Ratio'];
            }}
          />
          <Legend />
          <Line dataKey="ratio" name="Chargeback ratio" stroke="#1976d2" isAnimationActive={false} />
          {(data?.thresholds ?? [])
            .filter((t, i, all) => all.findIndex((o) => o.ratio_ppm === t.ratio_ppm) === i)
            .map((t) => (
              <ReferenceLine key={t.id} y={Number(t.ratio_ppm) / 10_000} stroke={LINE_COLORS[t.level] ?? '#757575'} strokeDasharray="4 4" label={{ value: `${t.programme} ${ppmAsPercent(t.ratio_ppm)}`, fontSize: 10, position: 'insideTopRight' }} />
            ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
