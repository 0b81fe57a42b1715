import { Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { Button, Form, maxLength, minLength, required, SaveButton, TextInput } from 'react-admin';

/** Asks for the reason of a payout decision (3-1000 characters: the server keeps it in the audit row). */
export const ReasonDialog = ({ title, submit, subject, pending, danger = false, onClose, onSubmit }: {
  title: string;
  submit: string;
  subject?: string;
  pending: boolean;
  danger?: boolean;
  onClose: () => void;
  onSubmit: (reason: string) => void;
}) => (
  <Dialog open onClose={onClose} fullWidth maxWidth="sm" onClick={(event) => event.stopPropagation()}>
    <Form record={{ reason: '' }} onSubmit={(values: Record<string, unknown>) => onSubmit(String(values.reason ?? '').trim())}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {subject && (
          <Typography color="text.secondary" gutterBottom>
            {subject}
          </Typography>
        )}
        <TextInput source="reason" label="Reason" validate={[required(), minLength(3), maxLength(1000)]} multiline minRows={2} fullWidth autoFocus />
      </DialogContent>
      <DialogActions>
        <Button label="ra.action.cancel" onClick={onClose} />
        <SaveButton label={submit} icon={<span />} disabled={pending} alwaysEnable color={danger ? 'error' : 'primary'} />
      </DialogActions>
    </Form>
  </Dialog>
);
