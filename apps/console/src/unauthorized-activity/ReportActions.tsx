import { Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { BooleanInput, Button, Form, maxLength, minLength, required, SaveButton, TextInput, TopToolbar, useCanAccess, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { problemOf } from '../reviews/reviewsApi';
import { confirmReport, dismissReport, recoverReport, splitIds } from './api';
import { canReport } from './choices';

interface CommandProps {
  label: string;
  action: 'confirm' | 'dismiss' | 'recover';
  color: 'error' | 'primary' | 'success';
  title: string;
  help: string;
  run: (id: string, values: Record<string, unknown>) => Promise<unknown>;
  defaults?: Record<string, unknown>;
  children?: ReactNode;
}

/** One command of the report's state machine: a dialog with a reason, shown only where the machine allows it. */
const ReportCommand = ({ label, action, color, title, help, run, defaults = {}, children }: CommandProps) => {
  const record = useRecordContext();
  const { canAccess } = useCanAccess({ resource: 'unauthorized-activity', action: 'decide' });
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const { mutate, isPending } = useMutation({
    mutationFn: (values: Record<string, unknown>) => run(String(record!.id), values),
    onSuccess: () => {
      setOpen(false);
      notify(`${label}: done`, { type: 'success' });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error), { type: 'error' }),
  });
  if (!record || !canAccess || !canReport(record.state, action)) return null;
  return (
    <>
      <Button label={label} color={color} variant="outlined" onClick={() => setOpen(true)} data-action={action} />
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <Form onSubmit={(values: Record<string, unknown>) => mutate(values)} record={defaults}>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>{help}</DialogContentText>
            <TextInput source="reason" label="Reason" validate={[required(), minLength(3), maxLength(1000)]} multiline fullWidth />
            {children}
          </DialogContent>
          <DialogActions>
            <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
            <SaveButton label={label} icon={<span />} disabled={isPending} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};

/** Devices seen in the security changes are the usual suspects: offered for blocking, editable. */
const suspectDevices = (record: Record<string, unknown> | undefined) =>
  [...new Set(((record?.security_changes as Array<{ device_id: string | null }>) ?? []).map((c) => c.device_id).filter(Boolean))].join(', ');

export const ReportActions = () => {
  const record = useRecordContext();
  return (
    <TopToolbar>
      <ReportCommand
        label="Confirm takeover"
        action="confirm"
        color="error"
        title="Confirm an account takeover"
        help="The unspent coins of the reported recharges are refunded through the refund flow (a second operator approves above the threshold); the devices, cards and IPs below are block-listed."
        defaults={{ block_devices: suspectDevices(record) }}
        run={(id, values) =>
          confirmReport(id, {
            reason: String(values.reason).trim(),
            block_devices: splitIds(values.block_devices),
            block_cards: splitIds(values.block_cards),
            block_ips: splitIds(values.block_ips),
          })
        }
      >
        <TextInput source="block_devices" label="Block devices (comma separated)" fullWidth />
        <TextInput source="block_cards" label="Block card fingerprints (comma separated)" fullWidth />
        <TextInput source="block_ips" label="Block IPs (comma separated)" fullWidth />
      </ReportCommand>
      <ReportCommand
        label="Not confirmed"
        action="dismiss"
        color="primary"
        title="Close as not confirmed"
        help="The review item is rejected and the outcome recorded for backtests."
        defaults={{ unfreeze: true }}
        run={(id, values) => dismissReport(id, String(values.reason).trim(), values.unfreeze !== false)}
      >
        <BooleanInput source="unfreeze" label="Unfreeze the user (if this report froze them)" />
      </ReportCommand>
      <ReportCommand
        label="Account recovered"
        action="recover"
        color="success"
        title="The user has their account back"
        help="Gifting is unfrozen if this report froze it."
        run={(id, values) => recoverReport(id, String(values.reason).trim())}
      />
    </TopToolbar>
  );
};
