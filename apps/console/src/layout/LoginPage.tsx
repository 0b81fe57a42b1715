import { Box, Button, CircularProgress, Typography } from '@mui/material';
import { useState } from 'react';
import { Form, Login, PasswordInput, TextInput, email, required, useLogin, useNotify } from 'react-admin';
import { isMfaRequired } from '../authProvider';

interface Values {
  email?: string;
  password?: string;
  code?: string;
}

/**
 * Sign-in in two steps when the operator has a second factor: email and password, then the 6-digit code
 * of the authenticator app. Server messages (wrong password, locked out, wrong code) are shown as sent.
 */
export const LoginPage = () => {
  const login = useLogin();
  const notify = useNotify();
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const submit = async (values: Values) => {
    setLoading(true);
    try {
      await login(mfaToken ? { mfa_token: mfaToken, code: values.code?.trim() } : { email: values.email, password: values.password });
    } catch (error) {
      if (isMfaRequired(error)) {
        setMfaToken(error.mfaToken);
      } else {
        const message = (error as Error | undefined)?.message || 'ra.auth.sign_in_error';
        notify(message, { type: 'error', messageArgs: { _: message } });
      }
    } finally {
      setLoading(false);
    }
  };

  return (
    <Login>
      <Form onSubmit={submit} key={mfaToken ? 'code' : 'password'}>
        <Box sx={{ px: 2, pb: 2, minWidth: 280 }}>
          {mfaToken ? (
            <>
              <Typography variant="body2" sx={{ mb: 1 }}>
                Enter the 6-digit code from your authenticator app.
              </Typography>
              <TextInput
                autoFocus
                source="code"
                label="Authentication code"
                autoComplete="one-time-code"
                inputProps={{ inputMode: 'numeric', maxLength: 6 }}
                validate={required()}
                fullWidth
              />
            </>
          ) : (
            <>
              <TextInput autoFocus source="email" type="email" autoComplete="username" validate={[required(), email()]} fullWidth />
              <PasswordInput source="password" autoComplete="current-password" validate={required()} fullWidth />
            </>
          )}
          <Button type="submit" variant="contained" color="primary" disabled={loading} fullWidth sx={{ mt: 1 }}>
            {loading ? <CircularProgress size={19} thickness={3} /> : mfaToken ? 'Verify' : 'Sign in'}
          </Button>
          {mfaToken && (
            <Button size="small" fullWidth sx={{ mt: 1 }} onClick={() => setMfaToken(null)}>
              Use another account
            </Button>
          )}
        </Box>
      </Form>
    </Login>
  );
};
