import { Stack } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ADJUSTMENT_APPROVER_ROLES } from '@coinops/contracts';
import { Button, useGetIdentity, useNotify, usePermissions, useRecordContext, useRefresh } from 'react-admin';
import { ReasonDialog } from '../refunds/ReasonDialog';
import { approveAdjustment, problemOf, rejectAdjustment } from '../refunds/refundsApi';

/** Approve (and post) or reject an adjustment waiting for a second operator; never one's own. */
export const AdjustmentActions = () => {
  const record = useRecordContext();
  const { identity } = useGetIdentity();
  const { permissions: role } = usePermissions<string>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'approve' | 'reject' | null>(null);
  const id = String(record?.id ?? '');
  const { mutate, isPending } = useMutation({
    mutationFn: ({ action, reason }: { action: 'approve' | 'reject'; reason: string }) => (action === 'approve' ? approveAdjustment(id, reason) : rejectAdjustment(id, reason)),
    onSuccess: async (_result, { action }) => {
      setDialog(null);
      notify(action === 'approve' ? 'Adjustment approved and posted' : 'Adjustment rejected', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['adjustments'] });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error), { type: 'error' }),
  });
  if (!record || record.state !== 'requested' || !(ADJUSTMENT_APPROVER_ROLES as readonly string[]).includes(String(role))) return null;
  const own = String(record.requested_by) === String(identity?.id);
  return (
    <Stack direction="row" spacing={1} sx={{ my: 1 }} onClick={(event) => event.stopPropagation()}>
      {!own && <Button label="Approve" variant="contained" onClick={(event) => { event.stopPropagation(); setDialog('approve'); }} data-action="adjustment-approve" />}
      <Button label="Reject" variant="outlined" color="error" onClick={(event) => { event.stopPropagation(); setDialog('reject'); }} data-action="adjustment-reject" />
      {dialog && (
        <ReasonDialog
          open
          title={dialog === 'approve' ? 'Approve: the adjustment is posted to the ledger' : 'Reject the adjustment'}
          submit={dialog === 'approve' ? 'Approve' : 'Reject'}
          pending={isPending}
          onClose={() => setDialog(null)}
          onSubmit={(values) => mutate({ action: dialog, reason: values.reason })}
        />
      )}
    </Stack>
  );
};
