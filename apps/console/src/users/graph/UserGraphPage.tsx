import '@xyflow/react/dist/style.css';
import { Alert, Box, Card, CardContent, Checkbox, Chip, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, MenuItem, Stack, TextField as MuiTextField, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Background, Controls, ReactFlow, type Edge, type Node } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { Button, Form, Link, maxLength, minLength, required, SaveButton, TextInput, Title, useCanAccess, useCreatePath, useNotify } from 'react-admin';
import { useParams } from 'react-router-dom';
import { formatAmount } from '../../fields/amount';
import { freezeAccounts, problemOf, userGraph } from '../../reviews/reviewsApi';
import { GraphNodeView, type GraphNodeData } from './GraphNodeView';
import type { LinkedGraphDto } from './graphTypes';
import { layoutGraph } from './layout';

const NODE_TYPES = { entity: GraphNodeView };
const EDGE_COLOURS = { recharge: '#546e7a', profile: '#b0bec5', gift: '#c2185b' } as const;

/** The ring freeze: the selected accounts, one reason, one request (an audit row per account). */
const FreezeSelected = ({ userIds, onDone }: { userIds: string[]; onDone: () => void }) => {
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const { mutate, isPending } = useMutation({
    mutationFn: (reason: string) => freezeAccounts(userIds, reason),
    onSuccess: (outcomes) => {
      setOpen(false);
      const frozen = outcomes.filter((o) => o.result === 'frozen').length;
      notify(`${frozen} account(s) frozen${outcomes.length > frozen ? `, ${outcomes.length - frozen} already frozen` : ''}`, { type: 'success' });
      onDone();
    },
    onError: (error: unknown) => notify(problemOf(error, 'reason'), { type: 'error' }),
  });
  return (
    <>
      <Button label={`Freeze ${userIds.length} selected account(s)`} color="warning" variant="contained" disabled={!userIds.length || isPending} onClick={() => setOpen(true)} data-action="freeze-ring" />
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <Form onSubmit={(values: Record<string, unknown>) => mutate(String(values.reason).trim())} record={{}}>
          <DialogTitle>Freeze {userIds.length} account(s)</DialogTitle>
          <DialogContent>
            <Typography variant="body2" color="text.secondary" gutterBottom>
              {userIds.join(', ')}
            </Typography>
            <TextInput source="reason" label="Reason" validate={[required(), minLength(3), maxLength(1000)]} multiline fullWidth />
          </DialogContent>
          <DialogActions>
            <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
            <SaveButton label="Freeze" icon={<span />} disabled={isPending} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
};

const Legend = () => (
  <Stack direction="row" spacing={1} flexWrap="wrap" sx={{ rowGap: 1 }}>
    <Chip size="small" label="user" sx={{ background: '#e3f2fd' }} />
    <Chip size="small" label="card" sx={{ background: '#fff3e0' }} />
    <Chip size="small" label="device" sx={{ background: '#ede7f6' }} />
    <Chip size="small" label="IP" sx={{ background: '#e8f5e9' }} />
    <Chip size="small" label="creator" sx={{ background: '#fce4ec' }} />
    <Chip size="small" variant="outlined" label="frozen" sx={{ borderColor: '#ed6c02', borderWidth: 2 }} />
    <Chip size="small" variant="outlined" label="charged back / blocked" sx={{ borderColor: '#d32f2f', borderWidth: 2 }} />
    <Chip size="small" variant="outlined" label="— recharge   — gift (pink)" />
  </Stack>
);

/**
 * A user's neighbourhood (users, cards, devices, IPs, creators; recharges and gifts as edges), drawn with
 * React Flow on a force layout. Click accounts to select them, then freeze the ring in one action.
 */
export const UserGraphPage = () => {
  const { id = '' } = useParams();
  const [hops, setHops] = useState(2);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const { canAccess: canFreeze } = useCanAccess({ resource: 'users', action: 'freeze' });
  const createPath = useCreatePath();
  const queryClient = useQueryClient();
  const { data, isPending, error } = useQuery({ queryKey: ['user-graph', id, hops], queryFn: () => userGraph<LinkedGraphDto>(id, hops) });

  const positions = useMemo(() => (data ? layoutGraph(data.nodes, data.edges) : new Map()), [data]);
  const nodes: Node[] = useMemo(
    () =>
      (data?.nodes ?? []).map((node) => ({
        id: node.id,
        type: 'entity',
        position: positions.get(node.id) ?? { x: 0, y: 0 },
        data: { node, selected: selected.has(node.value) && node.type === 'user' } satisfies GraphNodeData,
        draggable: true,
        connectable: false,
      })),
    [data, positions, selected],
  );
  const edges: Edge[] = useMemo(
    () =>
      (data?.edges ?? []).map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        type: 'straight',
        label: edge.kind === 'gift' ? formatAmount(edge.coins, 'COIN') : edge.count > 1 ? `${edge.count}×` : undefined,
        style: { stroke: EDGE_COLOURS[edge.kind], strokeWidth: Math.min(1 + edge.count, 5), strokeDasharray: edge.kind === 'profile' ? '4 4' : undefined },
        labelStyle: { fontSize: 10 },
      })),
    [data],
  );
  const users = (data?.nodes ?? []).filter((n) => n.type === 'user');
  const toggle = (userId: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(userId)) next.delete(userId);
      else next.add(userId);
      return next;
    });

  return (
    <Box sx={{ mt: 1 }}>
      <Title title={`Linked accounts of ${id}`} />
      <Stack direction="row" spacing={2} alignItems="center" sx={{ mb: 1 }}>
        <Typography variant="h6">
          Linked accounts of <Link to={createPath({ resource: 'users', id, type: 'show' })}>{id}</Link>
        </Typography>
        <MuiTextField select size="small" label="Hops" value={hops} onChange={(event) => setHops(Number(event.target.value))} sx={{ width: 100 }}>
          {[1, 2, 3, 4].map((n) => (
            <MenuItem key={n} value={n}>
              {n}
            </MenuItem>
          ))}
        </MuiTextField>
        <Legend />
      </Stack>
      {isPending && <CircularProgress />}
      {error && <Alert severity="error">{problemOf(error)}</Alert>}
      {data && (
        <>
          {data.truncated && (
            <Alert severity="warning" sx={{ mb: 1 }} data-testid="graph-truncated">
              The neighbourhood is larger than what is drawn: at most {data.limits.max_nodes} nodes and {data.limits.neighbours_per_node} neighbours per node are shown (the most frequent first).
            </Alert>
          )}
          <Stack direction={{ xs: 'column', lg: 'row' }} spacing={2}>
            <Card variant="outlined" sx={{ flex: 3, height: 640 }} data-testid="linked-graph" data-nodes={data.nodes.length} data-edges={data.edges.length}>
              <ReactFlow
                nodes={nodes}
                edges={edges}
                nodeTypes={NODE_TYPES}
                fitView
                minZoom={0.1}
                nodesConnectable={false}
                onNodeClick={(_event, node) => {
                  const dto = (node.data as GraphNodeData).node;
                  if (dto.type === 'user' && canFreeze && !dto.frozen) toggle(dto.value);
                }}
                proOptions={{ hideAttribution: true }}
              >
                <Background />
                <Controls showInteractive={false} />
              </ReactFlow>
            </Card>
            <Card variant="outlined" sx={{ flex: 1, minWidth: 340 }}>
              <CardContent>
                <Typography variant="subtitle1" gutterBottom>
                  Accounts ({users.length}) · {data.nodes.length} nodes, {data.edges.length} edges
                </Typography>
                <Stack sx={{ maxHeight: 460, overflow: 'auto' }}>
                  {users.map((user) => (
                    <Stack key={user.id} direction="row" alignItems="center" spacing={1} data-account={user.value}>
                      {canFreeze ? (
                        <FormControlLabel
                          control={<Checkbox size="small" checked={selected.has(user.value)} disabled={user.frozen} onChange={() => toggle(user.value)} />}
                          label={user.value}
                        />
                      ) : (
                        <Typography variant="body2">{user.value}</Typography>
                      )}
                      {user.root && <Chip size="small" label="this user" />}
                      {user.frozen && <Chip size="small" color="warning" label="frozen" />}
                      {user.charged_back && <Chip size="small" color="error" label="charged back" />}
                      <Link to={createPath({ resource: 'users', id: user.value, type: 'show' })}>open</Link>
                    </Stack>
                  ))}
                </Stack>
                {canFreeze && (
                  <Box sx={{ mt: 2 }}>
                    <FreezeSelected
                      userIds={[...selected]}
                      onDone={() => {
                        setSelected(new Set());
                        void queryClient.invalidateQueries({ queryKey: ['user-graph', id] });
                      }}
                    />
                  </Box>
                )}
              </CardContent>
            </Card>
          </Stack>
        </>
      )}
    </Box>
  );
};
