import { Box, Card, CardContent, Typography } from '@mui/material';
import {
  Title,
  useCreatePath,
  useGetIdentity,
  useGetResourceLabel,
  usePermissions,
  useResourceDefinitions,
} from 'react-admin';
import { menuResourcesFor } from '../access';
import { isRole } from '@coinops/contracts';
import { CardWithIcon } from './CardWithIcon';

/** Placeholder until the real dashboard: who is signed in, with which role, and where they can go. */
export const Dashboard = () => {
  const { identity } = useGetIdentity();
  const { permissions: role } = usePermissions<string>();
  const resources = useResourceDefinitions();
  const createPath = useCreatePath();
  const getResourceLabel = useGetResourceLabel();
  const visible = isRole(role) ? menuResourcesFor(role).filter((name) => resources[name]) : [];

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
        {visible.map((name) => {
          return (
            <CardWithIcon
              key={name}
              to={createPath({ resource: name, type: 'list' })}
              icon={resources[name].icon}
              title={getResourceLabel(name, 2)}
              subtitle="Open"
            />
          );
        })}
        {role === 'admin' && (
          <Card>
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
