import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, useListContext, useNotify, useRefresh, useUnselectAll } from 'react-admin';
import { bulkApprove, problemOf } from './payoutsApi';
import { ReasonDialog } from './ReasonDialog';

/** Approves the selected payouts, one result each: those refused (held, own request, already approved by me) are named. */
export const BulkApproveButton = () => {
  const { selectedIds } = useListContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('payouts');
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const { mutate, isPending } = useMutation({
    mutationFn: (reason: string) => bulkApprove(selectedIds.map(String), reason),
    onSuccess: async (results) => {
      setOpen(false);
      const refused = results.filter((r) => !r.ok);
      notify(refused.length ? `${results.length - refused.length} approved; refused: ${refused.map((r) => `${r.id.slice(0, 8)} (${r.error?.message})`).join('; ')}` : `${results.length} approved`, {
        type: refused.length ? 'warning' : 'success',
      });
      unselectAll();
      await queryClient.invalidateQueries({ queryKey: ['payouts'] });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error), { type: 'error' }),
  });
  return (
    <>
      <Button label="Approve selected" onClick={() => setOpen(true)} data-action="payouts-bulk-approve" />
      {open && <ReasonDialog title={`Approve ${selectedIds.length} payout(s)`} submit="Approve" pending={isPending} onClose={() => setOpen(false)} onSubmit={(reason) => mutate(reason)} />}
    </>
  );
};
