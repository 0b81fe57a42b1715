import { Box, Typography } from '@mui/material';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAmount } from '../fields/amount';
import { ChartCard } from './ChartCard';
import { plot, useDashboard, type Liability } from './dashboardApi';

const Figure = ({ label, value, unit, testId }: { label: string; value: string; unit: 'COIN' | 'DIAMOND'; testId: string }) => (
  <Box>
    <Typography variant="body2" color="text.secondary">
      {label}
    </Typography>
    <Typography variant="h6" data-testid={testId}>
      {formatAmount(value, unit)}
    </Typography>
  </Box>
);

/** The platform's virtual liabilities: coins in users' wallets and diamonds owed to creators, now and per day. */
export const LiabilityChart = ({ days = 30 }: { days?: number }) => {
  const { data, isPending, error } = useDashboard<Liability>(`/dashboard/liability?days=${days}`);
  const rows = (data?.daily ?? []).map((d) => ({ label: d.day.slice(5), coins: plot(d.coins_outstanding), diamonds: plot(d.diamonds_owed) }));
  return (
    <ChartCard id="liability" title="Coins outstanding and diamonds owed" loading={isPending} error={error} hasData={Boolean(data)}>
      {data && (
        <Box sx={{ display: 'flex', gap: 3, flexWrap: 'wrap', mb: 1 }}>
          <Figure label="Coins outstanding" value={data.now.coins_outstanding} unit="COIN" testId="liability-coins" />
          <Figure label="Coins held for review" value={data.now.coins_held} unit="COIN" testId="liability-coins-held" />
          <Figure label="Diamonds owed" value={data.now.diamonds_owed} unit="DIAMOND" testId="liability-diamonds" />
          <Figure label="Diamonds reserved by payouts" value={data.now.diamonds_reserved} unit="DIAMOND" testId="liability-diamonds-reserved" />
          <Figure label="Coins owed by users after chargebacks" value={data.now.coins_debt} unit="COIN" testId="liability-coins-debt" />
        </Box>
      )}
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis />
          <Tooltip />
          <Legend />
          <Line dataKey="coins" name="Coins outstanding" stroke="#f9a825" isAnimationActive={false} />
          <Line dataKey="diamonds" name="Diamonds owed" stroke="#00838f" isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
