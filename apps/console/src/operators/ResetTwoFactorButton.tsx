import PhonelinkEraseIcon from '@mui/icons-material/PhonelinkErase';
import { Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, maxLength, minLength, required, SaveButton, TextInput, useCanAccess, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { createHttpClient } from '../dataProvider/httpClient';
import { createSessionStore } from '../session';

const httpClient = createHttpClient(() => createSessionStore().read()?.token ?? null);

/**
 * Recovery for an operator who lost their authenticator (admins only): `POST /api/operators/:id/reset-totp`
 * clears the second factor and ends their sessions; the reason goes into the audit row. Shown only for an
 * operator with two-factor enabled.
 */
export const ResetTwoFactorButton = () => {
  const record = useRecordContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: 'operators', action: 'reset-password', record });
  const { mutate, isPending } = useMutation({
    mutationFn: (reason: string) =>
      httpClient(`/api/operators/${encodeURIComponent(String(record!.id))}/reset-totp`, { method: 'POST', body: JSON.stringify({ reason }) }),
    onSuccess: () => {
      setOpen(false);
      notify('Two-factor reset: the operator enrols again at their next sign-in', { type: 'success' });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });

  if (!record || !canAccess || !record.mfa_enabled) return null;
  return (
    <>
      <Button label="Reset two-factor" onClick={() => setOpen(true)} data-action="reset-totp">
        <PhonelinkEraseIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <Form onSubmit={(values: Record<string, unknown>) => mutate(String(values.reason).trim())} record={{}}>
          <DialogTitle>Reset two-factor of {record.email}</DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>Their authenticator stops working and every session of theirs ends.</DialogContentText>
            <TextInput source="reason" validate={[required(), minLength(3), maxLength(1000)]} multiline fullWidth />
          </DialogContent>
          <DialogActions>
            <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
            <SaveButton label="Reset two-factor" icon={<span />} disabled={isPending} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};
