import { Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { Button, Form, maxLength, minLength, required, SaveButton, TextInput } from 'react-admin';

/** Asks for the reason of a decision (3-1000 characters) and, for an override, its own reason. */
export const ReasonDialog = ({
  title,
  submit,
  open,
  onClose,
  onSubmit,
  pending,
  subject,
  withOverride = false,
  optional = false,
}: {
  title: string;
  submit: string;
  open: boolean;
  onClose: () => void;
  onSubmit: (values: { reason: string; override_reason?: string }) => void;
  pending: boolean;
  subject?: string;
  withOverride?: boolean;
  optional?: boolean;
}) => (
  <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" onClick={(event) => event.stopPropagation()}>
    <Form record={{ reason: '', override_reason: '' }} onSubmit={(values: Record<string, unknown>) => onSubmit({ reason: String(values.reason ?? '').trim(), ...(withOverride ? { override_reason: String(values.override_reason ?? '').trim() } : {}) })}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {subject && (
          <Typography color="text.secondary" gutterBottom>
            {subject}
          </Typography>
        )}
        <TextInput source="reason" label="Reason" validate={optional ? [maxLength(1000)] : [required(), minLength(3), maxLength(1000)]} multiline minRows={2} fullWidth autoFocus />
        {withOverride && (
          <TextInput source="override_reason" label="Override reason (refunds spent coins)" validate={[required(), minLength(3), maxLength(1000)]} multiline minRows={2} fullWidth />
        )}
      </DialogContent>
      <DialogActions>
        <Button label="ra.action.cancel" onClick={onClose} />
        <SaveButton label={submit} icon={<span />} disabled={pending} alwaysEnable color={submit === 'Reject' ? 'error' : 'primary'} />
      </DialogActions>
    </Form>
  </Dialog>
);
