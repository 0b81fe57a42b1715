import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, useCanAccess, useListContext, useNotify, useRefresh, useUnselectAll } from 'react-admin';
import { DecisionDialog, type DecisionValues } from './DecisionDialog';
import { bulkApprove, bulkReject, problemOf, type BulkResult } from './reviewsApi';

/**
 * Approve or reject the selected items with one reason. The server claims each unclaimed item for the
 * operator and answers one result per item; the refusals are listed in the notification.
 */
export const BulkDecisionButtons = () => {
  const { selectedIds } = useListContext();
  const { canAccess } = useCanAccess({ resource: 'reviews', action: 'decide' });
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('reviews');
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'approve' | 'reject' | null>(null);
  const { mutate, isPending } = useMutation({
    mutationFn: ({ decision, values }: { decision: 'approve' | 'reject'; values: DecisionValues }) => {
      const ids = selectedIds.map(String);
      const { reason, ...options } = values;
      return decision === 'approve' ? bulkApprove(ids, reason) : bulkReject(ids, reason, options);
    },
    onSuccess: async (results: BulkResult[]) => {
      setKind(null);
      const failed = results.filter((r) => !r.ok);
      const decided = results.length - failed.length;
      notify(failed.length ? `${decided} decided; ${failed.length} refused: ${failed.map((f) => `${f.id.slice(0, 8)} ${f.message}`).join('; ')}` : `${decided} item(s) decided`, {
        type: failed.length ? 'warning' : 'success',
        multiLine: true,
        autoHideDuration: failed.length ? 10_000 : 4_000,
      });
      unselectAll();
      await queryClient.invalidateQueries({ queryKey: ['reviews'] });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error, 'reason'), { type: 'error' }),
  });
  if (!canAccess) return null;
  return (
    <>
      <Button label="Approve selected" onClick={() => setKind('approve')} disabled={isPending} />
      <Button label="Reject selected" color="error" onClick={() => setKind('reject')} disabled={isPending} />
      {kind && (
        <DecisionDialog
          kind={kind}
          open
          pending={isPending}
          subject={`${selectedIds.length} item(s); unclaimed ones are claimed for you first`}
          onClose={() => setKind(null)}
          onSubmit={(values) => mutate({ decision: kind, values })}
        />
      )}
    </>
  );
};
