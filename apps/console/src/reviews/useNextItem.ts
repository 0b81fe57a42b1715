import { useCallback } from 'react';
import { useCreatePath, useDataProvider, useGetIdentity, useNotify } from 'react-admin';
import { useNavigate } from 'react-router-dom';

/** Items read to find the next one: the soonest-due active items, of which the first free or mine wins. */
const LOOKAHEAD = 25;

/** Opens the next item to work on: soonest SLA first, unclaimed or already the caller's, not `currentId`. */
export function useNextItem(currentId?: string) {
  const dataProvider = useDataProvider();
  const navigate = useNavigate();
  const createPath = useCreatePath();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  return useCallback(async () => {
    const { data } = await dataProvider.getList('reviews', {
      filter: { state: ['open', 'in_review', 'escalated'] },
      sort: { field: 'sla_due_at', order: 'ASC' },
      pagination: { page: 1, perPage: LOOKAHEAD },
    });
    const next = data.find((item) => item.id !== currentId && (item.assigned_to === null || item.assigned_to === identity?.id || item.state === 'escalated'));
    if (!next) {
      notify('No other item is waiting', { type: 'info' });
      return;
    }
    navigate(createPath({ resource: 'reviews', id: next.id, type: 'show' }));
  }, [dataProvider, navigate, createPath, notify, identity?.id, currentId]);
}
