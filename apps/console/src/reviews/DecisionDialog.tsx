import { Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { BooleanInput, Button, Form, maxLength, minLength, required, SaveButton, TextInput } from 'react-admin';
import type { RejectOptions } from './reviewsApi';

export type DialogKind = 'approve' | 'reject' | 'escalate' | 'unassign';

export interface DecisionValues extends RejectOptions {
  reason: string;
}

const TITLES: Record<DialogKind, string> = {
  approve: 'Approve: post the holds, the coins become available',
  reject: 'Reject: void the holds, the recharges wait for their refund',
  escalate: 'Escalate to a senior reviewer',
  unassign: 'Let the item go back to the queue',
};

const SUBMIT: Record<DialogKind, string> = { approve: 'Approve', reject: 'Reject', escalate: 'Escalate', unassign: 'Unassign' };

/** Asks for the reason every decision carries (3-1000 characters), and for a reject what else to do. */
export const DecisionDialog = ({
  kind,
  open,
  onClose,
  onSubmit,
  pending,
  subject,
}: {
  kind: DialogKind;
  open: boolean;
  onClose: () => void;
  onSubmit: (values: DecisionValues) => void;
  pending: boolean;
  subject?: string;
}) => (
  <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" onClick={(event) => event.stopPropagation()}>
    <Form
      record={{ reason: '', block_card: kind === 'reject', block_device: false, block_ip: false, freeze_user: false }}
      onSubmit={(values: Record<string, unknown>) =>
        onSubmit({
          reason: String(values.reason ?? '').trim(),
          ...(kind === 'reject' ? { block_card: Boolean(values.block_card), block_device: Boolean(values.block_device), block_ip: Boolean(values.block_ip), freeze_user: Boolean(values.freeze_user) } : {}),
        })
      }
    >
      <DialogTitle>{TITLES[kind]}</DialogTitle>
      <DialogContent>
        {subject && (
          <Typography color="text.secondary" gutterBottom>
            {subject}
          </Typography>
        )}
        <TextInput source="reason" label="Reason" validate={kind === 'unassign' ? [maxLength(1000)] : [required(), minLength(3), maxLength(1000)]} multiline minRows={2} fullWidth autoFocus />
        {kind === 'reject' && (
          <>
            <BooleanInput source="block_card" label="Block the card" helperText="Adds the recharges' card fingerprints to the block list" />
            <BooleanInput source="block_device" label="Block the device" />
            <BooleanInput source="block_ip" label="Block the IP" />
            <BooleanInput source="freeze_user" label="Freeze the user" helperText="No gifting and no cash-out until unfrozen" />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button label="ra.action.cancel" onClick={onClose} />
        <SaveButton label={SUBMIT[kind]} icon={<span />} disabled={pending} alwaysEnable color={kind === 'reject' ? 'error' : 'primary'} />
      </DialogActions>
    </Form>
  </Dialog>
);
