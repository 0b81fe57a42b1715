import { Box, Chip, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useListContext, type RaRecord } from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { payoutTotals, type PayoutTotals } from './payoutsApi';

const Totals = ({ rows, label }: { rows: PayoutTotals[]; label: string }) => (
  <Box data-testid="payout-totals" sx={{ px: 2, py: 1 }}>
    <Typography variant="caption" color="text.secondary">
      {label}
    </Typography>
    <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
      {rows.length === 0 && <Typography variant="body2">nothing</Typography>}
      {rows.map((row) => (
        <Chip
          key={`${row.currency}-${row.method}`}
          data-testid={`payout-total-${row.currency}-${row.method}`}
          variant="outlined"
          label={
            <span>
              {row.method} · {row.count} × <AmountField record={{ id: 0, amount: row.amount, currency: row.currency }} source="amount" unitSource="currency" />
            </span>
          }
        />
      ))}
    </Stack>
  </Box>
);

/** Totals by currency and method: of the selected rows when some are selected, else of everything the filter selects (server). */
export const PayoutTotalsPanel = () => {
  const { filterValues, selectedIds, data } = useListContext();
  const filter = Object.fromEntries(Object.entries(filterValues ?? {}).filter(([, value]) => value !== '' && value !== undefined));
  const { data: totals } = useQuery({ queryKey: ['payouts', 'totals', filter], queryFn: () => payoutTotals(filter) });
  if (selectedIds.length > 0) {
    const selected = (data ?? []).filter((record: RaRecord) => selectedIds.includes(record.id));
    const groups = new Map<string, PayoutTotals>();
    for (const record of selected) {
      const key = `${record.currency}|${record.method}`;
      const group = groups.get(key) ?? { currency: record.currency, method: record.method, count: 0, amount: '0', diamonds: '0' };
      group.count += 1;
      group.amount = (BigInt(group.amount) + BigInt(record.amount)).toString();
      group.diamonds = (BigInt(group.diamonds) + BigInt(record.diamonds)).toString();
      groups.set(key, group);
    }
    return <Totals rows={[...groups.values()].sort((a, b) => `${a.currency}${a.method}`.localeCompare(`${b.currency}${b.method}`))} label={`Selected (${selected.length})`} />;
  }
  return <Totals rows={totals ?? []} label="All payouts matching the filter" />;
};
