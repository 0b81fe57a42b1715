import ReportIcon from '@mui/icons-material/ReportGmailerrorred';
import { Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, maxLength, minLength, required, SaveButton, TextInput, useCanAccess, useNotify, useRecordContext, useRedirect } from 'react-admin';
import { problemOf } from '../reviews/reviewsApi';
import { reportUnauthorizedActivity, splitIds } from './api';

/**
 * On the user page: support records the user's report that recharges or gifts were not theirs. The server
 * freezes gifting and opens a review item in the same transaction; the console then shows the report.
 */
export const ReportUnauthorizedActivityButton = () => {
  const record = useRecordContext();
  const { canAccess } = useCanAccess({ resource: 'unauthorized-activity', action: 'report' });
  const notify = useNotify();
  const redirect = useRedirect();
  const [open, setOpen] = useState(false);
  const { mutate, isPending } = useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      reportUnauthorizedActivity(String(record!.id), {
        description: String(values.description).trim(),
        recharge_ids: splitIds(values.recharge_ids),
        gift_ids: splitIds(values.gift_ids),
      }),
    onSuccess: (report) => {
      setOpen(false);
      notify('Report recorded: gifting is frozen and trust and safety have a review item', { type: 'success' });
      redirect('show', 'unauthorized-activity', report.id);
    },
    onError: (error: unknown) => notify(problemOf(error), { type: 'error' }),
  });
  if (!record || !canAccess) return null;
  return (
    <>
      <Button label="Report unauthorized activity" color="error" onClick={() => setOpen(true)} data-action="report-unauthorized-activity">
        <ReportIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <Form onSubmit={(values: Record<string, unknown>) => mutate(values)} record={{}}>
          <DialogTitle>Unauthorized activity on {record.id}</DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>Gifting is frozen at once; trust and safety confirm or close the report.</DialogContentText>
            <TextInput source="description" label="What the user reports" validate={[required(), minLength(3), maxLength(2000)]} multiline fullWidth />
            <TextInput source="recharge_ids" label="Recharge ids that were not theirs (optional, comma separated)" fullWidth />
            <TextInput source="gift_ids" label="Gift ids that were not theirs (optional, comma separated)" fullWidth />
          </DialogContent>
          <DialogActions>
            <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
            <SaveButton label="Record report" icon={<span />} disabled={isPending} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};
