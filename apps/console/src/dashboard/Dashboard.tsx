import { Box, Card, CardContent, Typography } from '@mui/material';
import { Title, useGetIdentity, usePermissions } from 'react-admin';
import { ChargebackRatioChart } from './ChargebackRatioChart';
import { DecisionsChart } from './DecisionsChart';
import { FlaggedCreators } from './FlaggedCreators';
import { LiabilityChart } from './LiabilityChart';
import { PayoutsChart } from './PayoutsChart';
import { RechargesCharts } from './RechargesCharts';
import { Reconciliation } from './Reconciliation';
import { ReviewQueueChart } from './ReviewQueueChart';

/** Who sees the reconciliation: the API allows finance and admins only (docs/reporting.md). */
const RECONCILING_ROLES = ['finance', 'admin'];

/**
 * The economy at a glance, for every role: recharges and decisions, the review queue, chargebacks against
 * the card programmes, payouts, the platform's liabilities and where flagged money goes. Each chart reads
 * one rollup endpoint (docs/reporting.md); finance and admins also get the daily reconciliation.
 */
export const Dashboard = () => {
  const { identity } = useGetIdentity();
  const { permissions: role } = usePermissions<string>();
  return (
    <Box sx={{ mt: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Title title="coinops" />
      <Card>
        <CardContent>
          <Typography variant="h5">Welcome{identity?.fullName ? `, ${identity.fullName}` : ''}</Typography>
          <Typography color="text.secondary" data-testid="dashboard-role">
            Signed in as {identity?.email ?? '…'} with the role <strong>{role ?? '…'}</strong>
          </Typography>
        </CardContent>
      </Card>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        <RechargesCharts />
        <DecisionsChart />
        <ReviewQueueChart />
        <ChargebackRatioChart />
        <PayoutsChart />
        <LiabilityChart />
        <FlaggedCreators />
        {role && RECONCILING_ROLES.includes(role) && <Reconciliation />}
        {role === 'admin' && (
          <Card sx={{ flex: '1 1 100%' }}>
            <CardContent>
              <Typography variant="h6">Queues</Typography>
              <Typography color="text.secondary">
                <a href="/api/queues" target="_blank" rel="noreferrer">
                  Bull Board
                </a>{' '}
                — the worker's BullMQ queues (admins only)
              </Typography>
            </CardContent>
          </Card>
        )}
      </Box>
    </Box>
  );
};
