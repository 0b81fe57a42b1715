import LockResetIcon from '@mui/icons-material/LockReset';
import { Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Button,
  Form,
  PasswordInput,
  SaveButton,
  TextInput,
  maxLength,
  minLength,
  required,
  useCanAccess,
  useDataProvider,
  useNotify,
  useRecordContext,
} from 'react-admin';
import type { CoinopsDataProvider, ResetPasswordParams } from '../dataProvider';

/** Sets a new password for another operator; the reason goes into the audit row. */
export const ResetPasswordButton = () => {
  const record = useRecordContext();
  const dataProvider = useDataProvider<CoinopsDataProvider>();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: 'operators', action: 'reset-password', record });
  const { mutate, isPending } = useMutation({
    mutationFn: (params: ResetPasswordParams) => dataProvider.resetPassword(record!.id, params),
    onSuccess: () => {
      setOpen(false);
      notify('Password reset', { type: 'success' });
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });

  if (!record || !canAccess) return null;
  return (
    <>
      <Button label="Reset password" onClick={() => setOpen(true)}>
        <LockResetIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <Form onSubmit={(values: Record<string, unknown>) => mutate(values as unknown as ResetPasswordParams)} record={{}}>
          <DialogTitle>Reset password of {record.email}</DialogTitle>
          <DialogContent>
            <PasswordInput
              source="password"
              label="New password"
              autoComplete="new-password"
              validate={[required(), minLength(12), maxLength(256)]}
              fullWidth
            />
            <TextInput source="reason" validate={[required(), minLength(3), maxLength(1000)]} multiline fullWidth />
          </DialogContent>
          <DialogActions>
            <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
            <SaveButton label="Reset password" disabled={isPending} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};
