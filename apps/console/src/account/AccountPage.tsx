import {
  Alert, Box, Button, Card, CardContent, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography,
} from '@mui/material';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Title, useLogout, useNotify } from 'react-admin';
import { accountApi, type MfaEnrolment, type MfaStatus, type OperatorSession } from './api';

const messageOf = (error: unknown) => (error as Error | undefined)?.message ?? 'Something went wrong';

/** The signed-in operator's own account: two-factor authentication, sessions, password. */
export const AccountPage = () => {
  const api = useMemo(() => accountApi(), []);
  return (
    <Box sx={{ mt: 2, display: 'grid', gap: 2, maxWidth: 900 }}>
      <Title title="My account" />
      {api.enrolmentRequired() && (
        <Alert severity="warning" data-testid="enrolment-required">
          Your role requires two-factor authentication. Set it up below to use the console.
        </Alert>
      )}
      <TwoFactorCard api={api} />
      <SessionsCard api={api} />
      <PasswordCard api={api} />
    </Box>
  );
};

type Api = ReturnType<typeof accountApi>;

const TwoFactorCard = ({ api }: { api: Api }) => {
  const notify = useNotify();
  const [status, setStatus] = useState<MfaStatus | null>(null);
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => api.status().then(setStatus, (e) => setError(messageOf(e))), [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const start = async () => {
    setError(null);
    try {
      setEnrolment(await api.enrol());
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const confirm = async () => {
    setError(null);
    try {
      const wasRequired = api.enrolmentRequired();
      await api.confirm(code.trim());
      setEnrolment(null);
      setCode('');
      notify('Two-factor authentication is on; your other sessions were signed out', { type: 'success' });
      // A full session replaced an enrolment-only one: on to the console.
      if (wasRequired) window.location.assign('#/');
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const remove = async () => {
    setError(null);
    try {
      setStatus(await api.disable(code.trim()));
      setCode('');
      notify('Two-factor authentication removed', { type: 'info' });
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Two-factor authentication
        </Typography>
        {status && (
          <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
            <Chip data-testid="mfa-state" color={status.enabled ? 'success' : 'default'} label={status.enabled ? 'On' : 'Off'} />
            {status.required && <Chip color="warning" label="Required for your role" />}
          </Stack>
        )}
        {error && <Alert severity="error" sx={{ mb: 2 }}>{error}</Alert>}
        {status && !status.enabled && !enrolment && (
          <Button variant="contained" onClick={start}>
            Set up two-factor authentication
          </Button>
        )}
        {enrolment && (
          <Stack spacing={2} sx={{ maxWidth: 420 }}>
            <Typography variant="body2">Scan this QR code with an authenticator app, then enter the code it shows.</Typography>
            <img src={enrolment.qr_data_url} alt="QR code for your authenticator app" width={240} height={240} />
            <Typography variant="body2">
              Or type this key: <code data-testid="totp-secret">{enrolment.secret}</code>
            </Typography>
            <TextField label="Code from the app" value={code} onChange={(e) => setCode(e.target.value)} inputProps={{ inputMode: 'numeric', maxLength: 6, name: 'totp-code' }} />
            <Button variant="contained" onClick={confirm}>
              Confirm
            </Button>
          </Stack>
        )}
        {status?.enabled && !status.required && (
          <Stack direction="row" spacing={2} sx={{ maxWidth: 520 }}>
            <TextField size="small" label="Current code" value={code} onChange={(e) => setCode(e.target.value)} inputProps={{ inputMode: 'numeric', maxLength: 6, name: 'totp-remove-code' }} />
            <Button color="error" onClick={remove}>
              Remove two-factor
            </Button>
          </Stack>
        )}
      </CardContent>
    </Card>
  );
};

const SessionsCard = ({ api }: { api: Api }) => {
  const notify = useNotify();
  const logout = useLogout();
  const [sessions, setSessions] = useState<OperatorSession[] | null>(null);
  const load = useCallback(() => api.sessions().then(setSessions, () => setSessions([])), [api]);
  useEffect(() => {
    if (!api.enrolmentRequired()) void load();
  }, [api, load]);

  const end = async (id: string) => {
    await api.revoke(id).catch((e) => notify(messageOf(e), { type: 'error' }));
    await load();
  };
  const endAll = async () => {
    await api.revokeAll().catch(() => undefined);
    notify('Signed out of all sessions', { type: 'info' });
    await logout();
  };

  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Sessions
        </Typography>
        {sessions && (
          <Table size="small" data-testid="sessions">
            <TableHead>
              <TableRow>
                <TableCell>Signed in</TableCell>
                <TableCell>IP address</TableCell>
                <TableCell>Browser</TableCell>
                <TableCell>Two-factor</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {sessions.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>{new Date(s.created_at).toLocaleString()}</TableCell>
                  <TableCell>{s.ip ?? '—'}</TableCell>
                  <TableCell sx={{ maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{s.user_agent ?? '—'}</TableCell>
                  <TableCell>{s.mfa ? 'yes' : 'no'}</TableCell>
                  <TableCell align="right">
                    {s.current ? <Chip size="small" label="This session" /> : <Button size="small" onClick={() => end(s.id)}>Sign out</Button>}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Button sx={{ mt: 2 }} color="error" variant="outlined" onClick={endAll}>
          Sign out of all sessions
        </Button>
      </CardContent>
    </Card>
  );
};

const PasswordCard = ({ api }: { api: Api }) => {
  const notify = useNotify();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (api.enrolmentRequired()) return null;
  const submit = async () => {
    setError(null);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      notify('Password changed; your other sessions were signed out', { type: 'success' });
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Password
        </Typography>
        {error && <Alert severity="error" sx={{ mb: 2 }}>{error}</Alert>}
        <Stack spacing={2} sx={{ maxWidth: 420 }}>
          <TextField type="password" label="Current password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" inputProps={{ name: 'current_password' }} />
          <TextField type="password" label="New password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" helperText="At least 12 characters, not a common or breached password" inputProps={{ name: 'new_password' }} />
          <Button variant="contained" onClick={submit} disabled={!current || !next}>
            Change password
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
};
