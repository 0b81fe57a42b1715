import { Login, LoginForm, PasswordInput, TextInput, email, required } from 'react-admin';

/** react-admin's login page, asking for the operator's email rather than a user name. */
export const LoginPage = () => (
  <Login>
    <LoginForm>
      <TextInput
        autoFocus
        source="email"
        type="email"
        autoComplete="username"
        validate={[required(), email()]}
      />
      <PasswordInput source="password" autoComplete="current-password" validate={required()} />
    </LoginForm>
  </Login>
);
