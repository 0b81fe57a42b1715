import { Chip, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useGetIdentity, useListContext } from 'react-admin';
import { QUEUE_TABS } from './choices';
import { reviewCounts, type ReviewCounts } from './reviewsApi';

const sameStates = (a: unknown, b: readonly string[]) => Array.isArray(a) && a.length === b.length && b.every((s) => a.includes(s));

/** The queue's state tabs with their counts, "my items" and "overdue": each sets the list's filters. */
export const QueueTabs = () => {
  const { filterValues, setFilters, displayedFilters } = useListContext();
  const { identity } = useGetIdentity();
  const { data: counts } = useQuery({ queryKey: ['reviews', 'counts'], queryFn: reviewCounts, refetchInterval: 30_000 });
  const countOf = (id: string, c?: ReviewCounts) => {
    if (!c) return '…';
    if (id === 'active') return c.open + c.in_review + c.escalated;
    return c[id as keyof ReviewCounts];
  };
  const { state: _state, assigned_to: _mine, overdue: _overdue, ...others } = filterValues;
  const mine = Boolean(identity?.id) && filterValues.assigned_to === identity?.id;
  return (
    <Stack direction="row" spacing={1} sx={{ my: 1, flexWrap: 'wrap', rowGap: 1 }} data-testid="queue-tabs">
      {QUEUE_TABS.map((tab) => (
        <Chip
          key={tab.id}
          label={`${tab.label} ${countOf(tab.id, counts)}`}
          color={sameStates(filterValues.state, tab.state) && !mine && !filterValues.overdue ? 'primary' : 'default'}
          onClick={() => setFilters({ ...others, state: [...tab.state] }, displayedFilters)}
          data-tab={tab.id}
        />
      ))}
      <Chip
        label={`My items ${counts ? counts.mine : '…'}`}
        color={mine ? 'secondary' : 'default'}
        variant={mine ? 'filled' : 'outlined'}
        onClick={() => identity?.id && setFilters({ ...others, state: ['open', 'in_review', 'escalated'], assigned_to: identity.id }, displayedFilters)}
        data-tab="mine"
      />
      <Chip
        label={`Overdue ${counts ? counts.overdue : '…'}`}
        color={filterValues.overdue ? 'error' : 'default'}
        variant={filterValues.overdue ? 'filled' : 'outlined'}
        onClick={() => setFilters({ ...others, state: ['open', 'in_review', 'escalated'], overdue: true }, displayedFilters)}
        data-tab="overdue"
      />
    </Stack>
  );
};
