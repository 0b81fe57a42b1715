import { Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Link } from 'react-admin';
import { formatAmount } from '../fields/amount';
import { asOf, ChartCard } from './ChartCard';
import { formatCount, plot, useDashboard, type FlaggedCreators as Data } from './dashboardApi';

/** Creators receiving the most coins from flagged accounts (review or block alerts, frozen users) over 30 days. */
export const FlaggedCreators = () => {
  const { data, isPending, error } = useDashboard<Data>('/dashboard/flagged-creators');
  const creators = data?.creators ?? [];
  return (
    <ChartCard
      id="flagged-creators"
      title="Top creators by gifts from flagged accounts"
      subtitle={`Last ${data?.window_days ?? 30} days${data?.as_of ? `, ${asOf(data.as_of)}` : ''}`}
      loading={isPending}
      error={error}
      hasData={creators.length > 0}
    >
      <ResponsiveContainer width="100%" height={Math.max(120, creators.slice(0, 10).length * 28)}>
        <BarChart data={creators.slice(0, 10).map((c) => ({ label: c.creator_id, coins: plot(c.coins), text: c.coins }))} layout="vertical">
          <XAxis type="number" />
          <YAxis type="category" dataKey="label" width={110} />
          <Tooltip formatter={(_v, _n, item) => [formatAmount((item.payload as { text: string }).text, 'COIN'), 'From flagged accounts']} />
          <Bar dataKey="coins" fill="#e53935" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>Creator</TableCell>
            <TableCell align="right">Coins</TableCell>
            <TableCell align="right">Gifts</TableCell>
            <TableCell align="right">Flagged senders</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {creators.map((c) => (
            <TableRow key={c.rank}>
              <TableCell>{c.rank}</TableCell>
              <TableCell>
                <Link to={`/creators/${encodeURIComponent(c.creator_id)}/show`}>{c.creator_id}</Link>
              </TableCell>
              <TableCell align="right">{formatAmount(c.coins, 'COIN')}</TableCell>
              <TableCell align="right">{formatCount(c.gifts)}</TableCell>
              <TableCell align="right">{formatCount(c.flagged_senders)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ChartCard>
  );
};
