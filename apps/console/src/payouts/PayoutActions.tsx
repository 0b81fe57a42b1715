import { Stack } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, useGetIdentity, useNotify, usePermissions, useRecordContext, useRefresh } from 'react-admin';
import type { PayoutState } from '@coinops/contracts';
import { payoutButtons, type ButtonAction } from './machine';
import { approvePayout, cancelPayout, problemOf, rejectPayout } from './payoutsApi';
import { ReasonDialog } from './ReasonDialog';

const LABELS: Record<ButtonAction, string> = { approve: 'Approve', reject: 'Reject', cancel: 'Cancel payout' };
const TITLES: Record<ButtonAction, string> = {
  approve: 'Approve: the worker pays it in its next batch (above the threshold, a second operator must approve too)',
  reject: 'Reject: the reserved diamonds go back to the creator',
  cancel: "Cancel for the creator: the reserved diamonds go back",
};

/** Approve / reject / cancel, as PAYOUT_MACHINE and the operator's role allow. */
export const PayoutActions = () => {
  const record = useRecordContext();
  const { identity } = useGetIdentity();
  const { permissions: role } = usePermissions<string>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<ButtonAction | null>(null);
  const id = String(record?.id ?? '');
  const { mutate, isPending } = useMutation({
    mutationFn: ({ action, reason }: { action: ButtonAction; reason: string }) =>
      action === 'approve' ? approvePayout(id, reason) : action === 'reject' ? rejectPayout(id, reason) : cancelPayout(id, reason),
    onSuccess: async (result, { action }) => {
      setDialog(null);
      const state = (result as { state?: string })?.state;
      notify(action === 'approve' && state === 'pending_approval' ? 'Approval recorded: a second operator must approve' : `Payout ${state ?? action}`, { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['payouts'] });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error), { type: 'error' }),
  });
  if (!record) return null;
  const history = (record.approval_history as Array<{ operator_id: string; approval_round: number }>) ?? [];
  const approvedBy = history.filter((a) => a.approval_round === record.approval_round).map((a) => a.operator_id);
  const buttons = payoutButtons({ state: record.state as PayoutState, requested_by: (record.requested_by as string | null) ?? null, approved_by: approvedBy }, role, identity?.id);
  if (!buttons.length) return null;
  return (
    <Stack direction="row" spacing={1} sx={{ my: 1 }}>
      {buttons.map((action) => (
        <Button key={action} label={LABELS[action]} variant={action === 'approve' ? 'contained' : 'outlined'} color={action === 'approve' ? 'primary' : 'error'} onClick={() => setDialog(action)} data-action={`payout-${action}`} />
      ))}
      {dialog && <ReasonDialog title={TITLES[dialog]} submit={LABELS[dialog]} danger={dialog !== 'approve'} pending={isPending} onClose={() => setDialog(null)} onSubmit={(reason) => mutate({ action: dialog, reason })} />}
    </Stack>
  );
};
