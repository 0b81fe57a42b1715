import AcUnitIcon from '@mui/icons-material/AcUnit';
import HubIcon from '@mui/icons-material/Hub';
import { Alert, Box, Card, CardContent, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Button,
  Datagrid,
  DateField,
  Form,
  ListBase,
  maxLength,
  minLength,
  Pagination,
  required,
  SaveButton,
  TextField,
  TextInput,
  TopToolbar,
  useCanAccess,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { InstrumentsPanel, LinkedAccountsPanel } from '../reviews/EvidencePanels';
import { ReportUnauthorizedActivityButton } from '../unauthorized-activity/ReportButton';
import type { Evidence } from '../reviews/evidenceTypes';
import { addNote, freezeUser, problemOf, unfreezeUser, userEvidence } from '../reviews/reviewsApi';

/** Freeze or unfreeze with a reason (trust and safety, admins): a frozen user's gifts and cash-outs get a 409. */
export const FreezeButton = () => {
  const record = useRecordContext();
  const { canAccess } = useCanAccess({ resource: 'users', action: 'freeze' });
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const frozen = Boolean(record?.frozen);
  const { mutate, isPending } = useMutation({
    mutationFn: (reason: string) => (frozen ? unfreezeUser(String(record!.id), reason) : freezeUser(String(record!.id), reason)),
    onSuccess: async () => {
      setOpen(false);
      notify(frozen ? 'User unfrozen' : 'User frozen: gifting and cash-out are refused', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['user-evidence'] });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error, 'reason'), { type: 'error' }),
  });
  if (!record || !canAccess) return null;
  return (
    <>
      <Button label={frozen ? 'Unfreeze' : 'Freeze'} color={frozen ? 'primary' : 'warning'} variant="outlined" onClick={() => setOpen(true)} data-action={frozen ? 'unfreeze' : 'freeze'}>
        <AcUnitIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <Form onSubmit={(values: Record<string, unknown>) => mutate(String(values.reason).trim())} record={{}}>
          <DialogTitle>
            {frozen ? 'Unfreeze' : 'Freeze'} {record.id}
          </DialogTitle>
          <DialogContent>
            <TextInput source="reason" label="Reason" validate={[required(), minLength(3), maxLength(1000)]} multiline fullWidth />
          </DialogContent>
          <DialogActions>
            <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
            <SaveButton label={frozen ? 'Unfreeze' : 'Freeze'} icon={<span />} disabled={isPending} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};

export const GraphButton = () => {
  const record = useRecordContext();
  const navigate = useNavigate();
  if (!record) return null;
  return (
    <Button label="Linked accounts graph" onClick={() => navigate(`/users/${encodeURIComponent(String(record.id))}/graph`)}>
      <HubIcon />
    </Button>
  );
};

/** The user's cards, devices and IPs (blocked ones marked) and the accounts sharing them. */
export const UserLinks = () => {
  const record = useRecordContext();
  const id = String(record?.id ?? '');
  const { data, isPending, error } = useQuery({ queryKey: ['user-evidence', id], queryFn: () => userEvidence<Evidence>(id), enabled: Boolean(record) });
  if (!record) return null;
  if (isPending) return <CircularProgress size={24} />;
  if (error || !data) return <Alert severity="error">Cards, devices and linked accounts could not be loaded.</Alert>;
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <InstrumentsPanel instruments={data.instruments} />
      <LinkedAccountsPanel accounts={data.linked_accounts} limit={data.limits.linkedAccounts} />
    </Stack>
  );
};

/** Notes every operator sees; everyone but a viewer adds them. Never edited: a correction is a new note. */
export const UserNotes = () => {
  const record = useRecordContext();
  const { canAccess } = useCanAccess({ resource: 'users', action: 'note' });
  const notify = useNotify();
  const refresh = useRefresh();
  const [formKey, setFormKey] = useState(0);
  const { mutate, isPending } = useMutation({
    mutationFn: (body: string) => addNote(String(record!.id), body),
    onSuccess: () => {
      setFormKey((k) => k + 1);
      notify('Note added', { type: 'success' });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error, 'body'), { type: 'error' }),
  });
  if (!record) return null;
  return (
    <Card variant="outlined" sx={{ mt: 2 }} data-testid="user-notes">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Notes
        </Typography>
        {canAccess && (
          <Box sx={{ mb: 1 }}>
            <Form key={formKey} onSubmit={(values: Record<string, unknown>) => mutate(String(values.body).trim())} record={{}}>
              <Stack direction="row" spacing={1} alignItems="flex-start">
                <TextInput source="body" label="Add a note" validate={[required(), maxLength(2000)]} multiline fullWidth helperText={false} />
                <SaveButton label="Add" icon={<span />} disabled={isPending} alwaysEnable />
              </Stack>
            </Form>
          </Box>
        )}
        <ListBase resource={`users/${encodeURIComponent(String(record.id))}/notes`} disableSyncWithLocation disableAuthentication perPage={10} sort={{ field: 'id', order: 'DESC' }}>
          <Datagrid bulkActionButtons={false} rowClick={false} empty={<Typography color="text.secondary">No note yet.</Typography>}>
            <DateField source="created_at" label="When" showTime sortable={false} />
            <TextField source="author_email" label="By" sortable={false} />
            <TextField source="body" label="Note" sortable={false} sx={{ whiteSpace: 'pre-wrap' }} />
          </Datagrid>
          <Pagination rowsPerPageOptions={[10, 25, 50]} />
        </ListBase>
      </CardContent>
    </Card>
  );
};

/** The user page's buttons: freeze or unfreeze (trust and safety, admins) and the graph (everyone). */
export const UserShowActions = () => (
  <TopToolbar>
    <GraphButton />
    <FreezeButton />
    <ReportUnauthorizedActivityButton />
  </TopToolbar>
);

/** Trust and safety's part of the user page: instruments and linked accounts, notes. */
export const UserCasework = () => (
  <Box data-testid="user-casework">
    <UserLinks />
    <UserNotes />
  </Box>
);
