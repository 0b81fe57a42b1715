import { Admin, Resource } from 'react-admin';
import auditEvents from './audit-events';
import { authProvider as defaultAuthProvider } from './authProvider';
import { Dashboard } from './dashboard/Dashboard';
import { dataProvider as defaultDataProvider } from './dataProvider';
import { LoginPage } from './layout/LoginPage';
import operators from './operators';
import type { AuthProvider, DataProvider } from 'react-admin';

export interface AppProps {
  authProvider?: AuthProvider;
  dataProvider?: DataProvider;
}

/**
 * Menu entries come from the resources below, each shown only when the auth provider's `canAccess`
 * allows listing it for the operator's role (react-admin's default menu asks `useCanAccess`).
 */
export const App = ({ authProvider = defaultAuthProvider, dataProvider = defaultDataProvider }: AppProps) => (
  <Admin
    title="coinops"
    authProvider={authProvider}
    dataProvider={dataProvider}
    dashboard={Dashboard}
    loginPage={LoginPage}
    requireAuth
    disableTelemetry
  >
    <Resource name="operators" {...operators} />
    <Resource name="audit-events" {...auditEvents} />
  </Admin>
);
