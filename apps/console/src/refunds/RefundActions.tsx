import { Stack } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, useGetIdentity, useNotify, usePermissions, useRecordContext, useRefresh } from 'react-admin';
import type { RefundAction, RefundState } from '@coinops/contracts';
import { refundButtons } from './machine';
import { ReasonDialog } from './ReasonDialog';
import { approveRefund, problemOf, rejectRefund, retryRefund } from './refundsApi';

const LABELS: Record<RefundAction, string> = { approve: 'Approve', reject: 'Reject', retry: 'Retry', execute: '', confirm: '', fail: '' };
const TITLES: Partial<Record<RefundAction, string>> = {
  approve: 'Approve: the worker sends the refund to the provider',
  reject: 'Reject: the reserved coins go back to the user',
  retry: 'Retry: the worker calls the provider again',
};

/** Approve / reject / retry for the operators who may (never approve one's own request: four-eyes). */
export const RefundActions = () => {
  const record = useRecordContext();
  const { identity } = useGetIdentity();
  const { permissions: role } = usePermissions<string>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<RefundAction | null>(null);
  const id = String(record?.id ?? '');
  const { mutate, isPending } = useMutation({
    mutationFn: ({ action, reason, override }: { action: RefundAction; reason: string; override?: string }) =>
      action === 'approve' ? approveRefund(id, reason, override) : action === 'reject' ? rejectRefund(id, reason) : retryRefund(id, reason || undefined),
    onSuccess: async (_result, { action }) => {
      setDialog(null);
      notify(`Refund ${action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'sent again'}`, { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['refunds'] });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error), { type: 'error' }),
  });
  if (!record) return null;
  const buttons = refundButtons({ state: record.state as RefundState, requested_by: (record.requested_by as string | null) ?? null }, role, identity?.id);
  if (!buttons.length) return null;
  return (
    <Stack direction="row" spacing={1} sx={{ my: 1 }} onClick={(event) => event.stopPropagation()}>
      {buttons.map((action) => (
        <Button key={action} label={LABELS[action]} variant={action === 'approve' ? 'contained' : 'outlined'} color={action === 'reject' ? 'error' : 'primary'} onClick={(event) => { event.stopPropagation(); setDialog(action); }} data-action={`refund-${action}`} />
      ))}
      {dialog && (
        <ReasonDialog
          open
          title={TITLES[dialog] ?? ''}
          submit={LABELS[dialog]}
          pending={isPending}
          optional={dialog === 'retry'}
          withOverride={dialog === 'approve' && record.requires_override === true}
          subject={record.requires_override ? `Refunds cash for ${record.coins_unrecovered} coins the user already spent.` : undefined}
          onClose={() => setDialog(null)}
          onSubmit={(values) => mutate({ action: dialog, reason: values.reason, override: values.override_reason })}
        />
      )}
    </Stack>
  );
};
