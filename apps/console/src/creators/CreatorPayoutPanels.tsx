import { Alert, Box, Chip, Table, TableBody, TableCell, TableHead, TableRow, Tooltip, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Datagrid, DateField, FunctionField, Link, ReferenceManyField, TextField, useCreatePath, useRecordContext, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { HoldReasons, PayoutStateChip } from '../payouts/PayoutList';
import { creatorEarnings, creatorGiftSources } from '../payouts/payoutsApi';

const Section = ({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) => (
  <Box data-testid={testId} sx={{ mt: 3 }}>
    <Typography variant="h6" gutterBottom>
      {title}
    </Typography>
    {children}
  </Box>
);

/** Diamonds earned per day (UTC) over 90 days, as bars, and what was paid out. */
export const CreatorEarnings = () => {
  const record = useRecordContext();
  const id = String(record?.id ?? '');
  const { data, error } = useQuery({ queryKey: ['creators', id, 'earnings'], queryFn: () => creatorEarnings(id), enabled: Boolean(id) });
  if (!record) return null;
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  const days = data?.earnings ?? [];
  const max = days.reduce((m, d) => (BigInt(d.diamonds) > m ? BigInt(d.diamonds) : m), 1n);
  return (
    <Section title="Earnings, last 90 days" testId="creator-earnings">
      {days.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No gifts in the last 90 days.
        </Typography>
      ) : (
        <Box sx={{ display: 'flex', alignItems: 'flex-end', gap: '2px', height: 80 }}>
          {days.map((day) => (
            <Tooltip key={day.day} title={`${day.day}: ${day.diamonds} diamonds from ${day.gifts} gift(s)`}>
              <Box data-day={day.day} sx={{ width: 8, bgcolor: 'primary.main', height: `${Math.max(2, Number((BigInt(day.diamonds) * 80n) / max))}px` }} />
            </Tooltip>
          ))}
        </Box>
      )}
      {data && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          Paid out: <AmountField record={{ id: 0, v: data.payouts.paid_diamonds }} source="v" unit="DIAMOND" />
          {data.payouts.paid.map((p) => (
            <span key={p.currency}>
              {' · '}
              <AmountField record={{ id: p.currency, amount: p.amount, currency: p.currency }} source="amount" unitSource="currency" />
            </span>
          ))}
          {' · '}open payouts: {data.payouts.open}
        </Typography>
      )}
    </Section>
  );
};

/** The creator's payouts, newest first, with their hold reasons. */
export const CreatorPayouts = () => (
  <Section title="Payouts" testId="creator-payouts">
    <ReferenceManyField reference="payouts" target="creator_id" sort={{ field: 'created_at', order: 'DESC' }} perPage={10}>
      <Datagrid rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">No payouts yet.</Typography>}>
        <FunctionField label="Status" render={(r: RaRecord) => <PayoutStateChip record={r} />} />
        <FunctionField label="Holds" render={(r: RaRecord) => <HoldReasons record={r} />} />
        <AmountField source="amount" unitSource="currency" />
        <AmountField source="diamonds" unit="DIAMOND" />
        <TextField source="method" />
        <DateField source="created_at" label="Requested" showTime />
      </Datagrid>
    </ReferenceManyField>
  </Section>
);

/** Who pays this creator (30 days): the top payers, and the share of diamonds from flagged or young accounts. */
export const CreatorGiftSources = () => {
  const record = useRecordContext();
  const createPath = useCreatePath();
  const id = String(record?.id ?? '');
  const { data, error } = useQuery({ queryKey: ['creators', id, 'gift-sources'], queryFn: () => creatorGiftSources(id), enabled: Boolean(id) });
  if (!record) return null;
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return null;
  return (
    <Section title={`Gift sources, last ${data.window_days} days`} testId="creator-gift-sources">
      <Typography variant="body2" gutterBottom data-testid="flagged-share">
        {data.flagged_share_percent}% of {data.total_diamonds} diamonds came from flagged or young accounts ({data.flagged_diamonds} diamonds)
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Payer</TableCell>
            <TableCell align="right">Diamonds</TableCell>
            <TableCell align="right">Gifts</TableCell>
            <TableCell align="right">Account age (days)</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {data.top_payers.map((payer) => (
            <TableRow key={payer.sender_id} data-payer={payer.sender_id}>
              <TableCell>
                <Link to={createPath({ resource: 'users', id: payer.sender_id, type: 'show' })}>{payer.sender_id}</Link>
              </TableCell>
              <TableCell align="right">{payer.diamonds}</TableCell>
              <TableCell align="right">{payer.gifts}</TableCell>
              <TableCell align="right">{payer.account_age_days ?? '—'}</TableCell>
              <TableCell>
                {payer.frozen && <Chip size="small" color="error" label="frozen" />} {payer.flagged && !payer.frozen && <Chip size="small" color="warning" label="flagged or young" />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
};
