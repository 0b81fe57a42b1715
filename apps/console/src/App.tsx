import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import alerts from './alerts';
import auditEvents from './audit-events';
import { authProvider as defaultAuthProvider } from './authProvider';
import creators from './creators';
import { Dashboard } from './dashboard/Dashboard';
import { dataProvider as defaultDataProvider } from './dataProvider';
import { ledgerAccounts, ledgerTransactions } from './ledger';
import { LoginPage } from './layout/LoginPage';
import listEntries from './list-entries';
import operators from './operators';
import recharges from './recharges';
import reviews from './reviews';
import rules from './rules';
import users from './users';
import { UserGraphPage } from './users/graph/UserGraphPage';
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
    <Resource name="users" {...users} />
    <Resource name="creators" {...creators} />
    <Resource name="ledger-accounts" {...ledgerAccounts} />
    <Resource name="ledger-transactions" {...ledgerTransactions} />
    <Resource name="rules" {...rules} />
    <Resource name="list-entries" {...listEntries} />
    <Resource name="alerts" {...alerts} />
    <Resource name="reviews" {...reviews} />
    <Resource name="recharges" {...recharges} />
    <CustomRoutes>
      <Route path="/users/:id/graph" element={<UserGraphPage />} />
    </CustomRoutes>
  </Admin>
);
