import { Box, Chip } from '@mui/material';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { asOf, ChartCard } from './ChartCard';
import { formatCount, plot, useDashboard, type ReviewQueue } from './dashboardApi';

/** The review queue now (depth, overdue) and per day: its depth at the end of the day and the SLA breaches. */
export const ReviewQueueChart = ({ days = 30 }: { days?: number }) => {
  const { data, isPending, error } = useDashboard<ReviewQueue>(`/dashboard/reviews?days=${days}`);
  const rows = (data?.daily ?? []).map((d) => ({ label: d.day.slice(5), depth: plot(d.depth_at_end), breaches: plot(d.sla_breached), opened: plot(d.opened) }));
  return (
    <ChartCard
      id="review-queue"
      title="Review queue"
      subtitle={
        data && (
          <Box component="span" sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mt: 0.5 }}>
            <Chip size="small" label={`${formatCount(data.now.depth)} waiting`} data-testid="review-queue-depth" />
            <Chip size="small" color={data.now.overdue === '0' ? 'default' : 'error'} label={`${formatCount(data.now.overdue)} past SLA`} />
            <Chip size="small" label={`${formatCount(data.now.escalated)} escalated`} />
            {asOf(data.as_of)}
          </Box>
        )
      }
      loading={isPending}
      error={error}
      hasData={rows.length > 0}
    >
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis />
          <Tooltip />
          <Legend />
          <Bar dataKey="breaches" name="SLA breaches" fill="#e53935" isAnimationActive={false} />
          <Line dataKey="depth" name="Depth at end of day" stroke="#1976d2" dot={rows.length < 3} isAnimationActive={false} />
          <Line dataKey="opened" name="Opened" stroke="#9e9e9e" dot={rows.length < 3} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
