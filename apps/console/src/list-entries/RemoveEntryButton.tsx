import RemoveCircleIcon from '@mui/icons-material/RemoveCircleOutline';
import { Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, maxLength, minLength, required, SaveButton, TextInput, useCanAccess, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { problemOf, removeListEntry } from '../rules/riskApi';

/** Ends an active entry now, with a reason; the entry stays listed as history. */
export const RemoveEntryButton = () => {
  const record = useRecordContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: 'list-entries', action: 'remove', record });
  const { mutate, isPending } = useMutation({
    mutationFn: (reason: string) => removeListEntry(String(record!.id), reason),
    onSuccess: async () => {
      setOpen(false);
      notify('Entry removed', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['list-entries'] });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error, 'reason'), { type: 'error' }),
  });

  if (!record || !canAccess || !record.active) return null;
  return (
    <>
      <Button
        label="Remove"
        color="error"
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
      >
        <RemoveCircleIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs" onClick={(event) => event.stopPropagation()}>
        <Form onSubmit={(values: Record<string, unknown>) => mutate(String(values.reason).trim())} record={{}}>
          <DialogTitle>
            Remove {record.list} entry {record.kind} {record.value}
          </DialogTitle>
          <DialogContent>
            <TextInput source="reason" validate={[required(), minLength(3), maxLength(1000)]} multiline fullWidth />
          </DialogContent>
          <DialogActions>
            <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
            <SaveButton label="Remove" disabled={isPending} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};
