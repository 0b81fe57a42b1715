import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import alerts from './alerts';
import auditEvents from './audit-events';
import chargebacks from './chargebacks';
import { authProvider as defaultAuthProvider } from './authProvider';
import creators from './creators';
import { Dashboard } from './dashboard/Dashboard';
import { dataProvider as defaultDataProvider } from './dataProvider';
import { ledgerAccounts, ledgerTransactions } from './ledger';
import { LoginPage } from './layout/LoginPage';
import { AppLayout } from './layout/AppLayout';
import { AccountPage } from './account/AccountPage';
import listEntries from './list-entries';
import operators from './operators';
import recharges from './recharges';
import reviews from './reviews';
import rules from './rules';
import unauthorizedActivity from './unauthorized-activity';
import adjustments from './adjustments';
import approvals from './approvals';
import refunds from './refunds';
import payouts from './payouts';
import payoutBatches from './payouts/batches';
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
    layout={AppLayout}
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
    <Resource name="chargebacks" {...chargebacks} />
    <Resource name="unauthorized-activity" {...unauthorizedActivity} />
    <Resource name="refunds" {...refunds} />
    <Resource name="adjustments" {...adjustments} />
    <Resource name="approvals" {...approvals} />
    <Resource name="payouts" {...payouts} />
    <Resource name="payout-batches" {...payoutBatches} />
    <CustomRoutes>
      <Route path="/users/:id/graph" element={<UserGraphPage />} />
      <Route path="/account" element={<AccountPage />} />
    </CustomRoutes>
  </Admin>
);
