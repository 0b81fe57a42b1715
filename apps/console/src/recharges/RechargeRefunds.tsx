import { Alert, Box, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  BooleanInput, Button, Datagrid, DateField, Form, FunctionField, maxLength, minLength, ReferenceManyField, regex, required, SaveButton, TextField, TextInput,
  useNotify, usePermissions, useRecordContext, useRedirect, type RaRecord,
} from 'react-admin';
import { AmountField } from '../fields/AmountField';
import { formatAmount } from '../fields/amount';
import { canRequestRefund } from '../refunds/machine';
import { StateChip } from '../refunds/RefundList';
import { problemOf, refundable, requestRefund } from '../refunds/refundsApi';

/** Support asks for a refund from the recharge page: the cash left to refund, the unspent coins and the rule. */
const RequestRefundDialog = ({ rechargeId, onClose }: { rechargeId: string; onClose: () => void }) => {
  const notify = useNotify();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const { data: info } = useQuery({ queryKey: ['refundable', rechargeId], queryFn: () => refundable(rechargeId) });
  const { mutate, isPending } = useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      requestRefund({
        recharge_id: rechargeId,
        ...(values.amount ? { amount: String(values.amount).trim() } : {}),
        reason: String(values.reason ?? '').trim(),
        ...(values.override_spent_coins ? { override_spent_coins: true } : {}),
      }),
    onSuccess: async (refund) => {
      notify(refund.state === 'requested' ? 'Refund asked: it waits for a second operator' : 'Refund approved and sent to the provider', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['refunds'] });
      redirect('show', 'refunds', refund.id);
    },
    onError: (error: unknown) => notify(problemOf(error), { type: 'error', autoHideDuration: 10_000 }),
  });
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <Form record={{ amount: info?.refundable_amount ?? '', reason: '', override_spent_coins: false }} onSubmit={(values: Record<string, unknown>) => mutate(values)}>
        <DialogTitle>Request a refund</DialogTitle>
        <DialogContent>
          {info && (
            <Box sx={{ mb: 2 }} data-refundable={info.refundable_amount}>
              <Typography variant="body2">
                Refundable: {formatAmount(info.refundable_amount, info.currency)} of {formatAmount(info.amount, info.currency)} · unspent coins of this recharge: {info.unspent_coins} of {info.coins} ({info.spent_coins} spent)
              </Typography>
              <Typography variant="caption" color="text.secondary">{info.rule}</Typography>
            </Box>
          )}
          <TextInput source="amount" label={`Amount in minor units${info ? ` of ${info.currency}` : ''} (empty: all that is left)`} validate={[regex(/^[1-9][0-9]{0,15}$/, 'a positive whole number of minor units')]} fullWidth />
          <TextInput source="reason" validate={[required(), minLength(3), maxLength(1000)]} multiline minRows={2} fullWidth autoFocus />
          <BooleanInput source="override_spent_coins" label="Refund spent coins too (an approver must override, with a reason)" />
          <Alert severity="info">Above {info ? formatAmount(info.threshold_usd, 'USD') : 'the threshold'} a second operator approves.</Alert>
        </DialogContent>
        <DialogActions>
          <Button label="ra.action.cancel" onClick={onClose} />
          <SaveButton label="Request refund" icon={<span />} disabled={isPending} alwaysEnable />
        </DialogActions>
      </Form>
    </Dialog>
  );
};

/** The recharge's refunds, and the button support uses to ask for one. */
export const RechargeRefunds = () => {
  const record = useRecordContext();
  const { permissions: role } = usePermissions<string>();
  const [open, setOpen] = useState(false);
  if (!record) return null;
  const refundableState = record.state === 'credited' || record.state === 'blocked_pending_refund';
  return (
    <Box>
      {canRequestRefund(role) && refundableState && <Button label="Request refund" variant="outlined" onClick={() => setOpen(true)} data-action="request-refund" />}
      {open && <RequestRefundDialog rechargeId={String(record.id)} onClose={() => setOpen(false)} />}
      <ReferenceManyField reference="refunds" target="recharge_id" sort={{ field: 'created_at', order: 'DESC' }}>
        <Datagrid rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">No refund.</Typography>}>
          <FunctionField source="state" label="Status" render={(r: RaRecord) => <StateChip record={r} />} />
          <TextField source="kind" />
          <AmountField source="amount" unitSource="currency" />
          <AmountField source="coins" unit="COIN" />
          <TextField source="requested_by_email" label="Requested by" emptyText="system" />
          <DateField source="created_at" label="Asked at" showTime />
        </Datagrid>
      </ReferenceManyField>
    </Box>
  );
};
