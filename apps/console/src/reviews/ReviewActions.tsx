import { Box, Chip, Stack, Typography } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, useGetIdentity, useNotify, usePermissions, useRecordContext, useRefresh } from 'react-admin';
import { DecisionDialog, type DecisionValues, type DialogKind } from './DecisionDialog';
import { ACTIVE_STATES, DECIDING_ROLES, reviewButtons, type ReviewLike } from './machine';
import { approveReview, assignReview, claimReview, escalateReview, problemOf, rejectReview, unassignReview } from './reviewsApi';
import { useNextItem } from './useNextItem';
import { useShortcuts } from './useShortcuts';

const LABELS: Record<string, string> = { claim: 'Claim', take_over: 'Take over', unassign: 'Unassign', escalate: 'Escalate', approve: 'Approve', reject: 'Reject' };
const SHORTCUTS: Record<string, string> = { claim: 'c', take_over: 'c', approve: 'a', reject: 'r', escalate: 'e' };

/**
 * The item's buttons, from REVIEW_MACHINE and the operator's role and claim (see `reviewButtons`), with
 * keyboard shortcuts: `c` claim, `a` approve, `r` reject, `e` escalate, `n` next item. A viewer gets none.
 */
export const ReviewActions = () => {
  const record = useRecordContext();
  const { identity } = useGetIdentity();
  const { permissions: role } = usePermissions<string>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const next = useNextItem(record?.id ? String(record.id) : undefined);
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const id = String(record?.id ?? '');

  const done = async (message: string) => {
    setDialog(null);
    notify(message, { type: 'success' });
    await queryClient.invalidateQueries({ queryKey: ['reviews'] });
    await queryClient.invalidateQueries({ queryKey: ['review-evidence', id] });
    refresh();
  };
  const { mutate, isPending } = useMutation({
    mutationFn: async ({ kind, values }: { kind: string; values?: DecisionValues }) => {
      if (kind === 'claim') return claimReview(id);
      // An admin takes over someone's claimed item by assigning it to themselves.
      if (kind === 'take_over') return assignReview(id, String(identity?.id), 'taken over by an admin');
      if (kind === 'unassign') return unassignReview(id, values?.reason);
      if (kind === 'escalate') return escalateReview(id, values!.reason);
      if (kind === 'approve') return approveReview(id, values!.reason);
      const { reason, ...options } = values!;
      return rejectReview(id, reason, options);
    },
    onSuccess: (_result, { kind }) => done(kind === 'claim' || kind === 'take_over' ? 'Claimed: the item is yours' : `Item ${kind === 'approve' ? 'approved' : kind === 'reject' ? 'rejected' : kind === 'escalate' ? 'escalated' : 'unassigned'}`),
    onError: (error: unknown) => {
      notify(problemOf(error, 'reason'), { type: 'error' });
      refresh();
    },
  });

  const buttons = reviewButtons(record as ReviewLike | undefined, identity?.id ? String(identity.id) : undefined, role);
  const press = (button: string) => (button === 'claim' || button === 'take_over' ? mutate({ kind: button }) : setDialog(button as DialogKind));
  const bindings: Record<string, (() => void) | undefined> = { n: () => void next() };
  for (const button of buttons) if (SHORTCUTS[button]) bindings[SHORTCUTS[button]] = () => press(button);
  useShortcuts(bindings, Boolean(record));

  if (!record) return null;
  return (
    <Box sx={{ my: 1 }}>
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" data-testid="review-actions">
        {buttons.map((button) => (
          <Button
            key={button}
            label={`${LABELS[button]}${SHORTCUTS[button] ? ` (${SHORTCUTS[button]})` : ''}`}
            variant={button === 'approve' || button === 'claim' ? 'contained' : 'outlined'}
            color={button === 'reject' ? 'error' : 'primary'}
            disabled={isPending}
            onClick={() => press(button)}
            data-action={button}
          />
        ))}
        <Button label="Next item (n)" onClick={() => void next()} data-action="next" />
        {role && !DECIDING_ROLES.includes(role) && (
          <Typography variant="body2" color="text.secondary" data-testid="no-decision">
            Read only: decisions are for trust and safety.
          </Typography>
        )}
        {record.assigned_email && ACTIVE_STATES.includes(record.state) && <Chip size="small" variant="outlined" label={`Held by ${record.assigned_email}`} data-testid="assignee" />}
      </Stack>
      {dialog && (
        <DecisionDialog
          kind={dialog}
          open
          pending={isPending}
          subject={`User ${record.user_id}: ${record.recharge_count} recharge(s), ${record.coins} coins`}
          onClose={() => setDialog(null)}
          onSubmit={(values) => mutate({ kind: dialog, values })}
        />
      )}
    </Box>
  );
};

