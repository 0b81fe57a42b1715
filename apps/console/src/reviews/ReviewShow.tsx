import HubIcon from '@mui/icons-material/Hub';
import { Alert, Box, Card, CardContent, Chip, CircularProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Button, Link, Show, useCreatePath, useRecordContext } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { formatAmount } from '../fields/amount';
import { rechargeStateColor } from '../recharges/choices';
import { RiskExplanation, type RiskExplanationData } from '../recharges/RiskExplanation';
import { severityColor } from '../rules/choices';
import { reviewStateColor } from './choices';
import { EvidencePanels } from './EvidencePanels';
import type { Evidence } from './evidenceTypes';
import { ReviewActions } from './ReviewActions';
import { reviewEvidence } from './reviewsApi';
import { SlaCountdown } from './SlaCountdown';

interface ItemRecharge {
  id: string;
  provider_ref: string;
  method: string;
  coins: string;
  amount: string;
  currency: string;
  card_fingerprint: string | null;
  device_id: string | null;
  ip: string | null;
  state: string;
  occurred_at: string;
  outcome: string | null;
  risk: RiskExplanationData | null;
}

const Header = () => {
  const record = useRecordContext();
  const createPath = useCreatePath();
  const navigate = useNavigate();
  if (!record) return null;
  return (
    <Card variant="outlined" sx={{ mb: 2 }}>
      <CardContent>
        <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap">
          <Typography variant="h6">
            User <Link to={createPath({ resource: 'users', id: record.user_id, type: 'show' })}>{record.user_id}</Link>
          </Typography>
          <Chip label={String(record.state).replace(/_/g, ' ')} color={reviewStateColor(record.state)} data-testid="review-state" />
          <Chip label={record.severity} color={severityColor(record.severity)} variant="outlined" />
          <SlaCountdown dueAt={record.sla_due_at} state={record.state} />
          {record.user_frozen && <Chip color="warning" label="user frozen" />}
          <Button label="Linked accounts graph" onClick={() => navigate(`/users/${encodeURIComponent(record.user_id)}/graph`)}>
            <HubIcon />
          </Button>
        </Stack>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {record.recharge_count} recharge(s), {formatAmount(record.coins, 'COIN')}
          {record.amount ? `, ${formatAmount(record.amount, record.currency)}` : ''} · opened {new Date(record.created_at).toLocaleString()} · rules {record.rule_keys.join(', ') || '—'}
        </Typography>
        {record.decided_at && (
          <Alert severity={record.state === 'approved' ? 'success' : 'error'} sx={{ mt: 1 }} data-testid="decision">
            {record.state} by {record.decided_by_email} on {new Date(record.decided_at).toLocaleString()}: {record.decision_reason}
          </Alert>
        )}
        {record.escalated_at && !record.decided_at && (
          <Alert severity="warning" sx={{ mt: 1 }}>
            Escalated {new Date(record.escalated_at).toLocaleString()}: {record.escalation_reason}
          </Alert>
        )}
      </CardContent>
    </Card>
  );
};

/** Each held recharge of the item, with the rules that held it and the feature values they read. */
const ItemRecharges = () => {
  const record = useRecordContext();
  const recharges = (record?.recharges ?? []) as ItemRecharge[];
  const createPath = useCreatePath();
  return (
    <Card variant="outlined" sx={{ mb: 2 }} data-testid="item-recharges">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Why it was held
        </Typography>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Recharge</TableCell>
              <TableCell>Method</TableCell>
              <TableCell align="right">Amount</TableCell>
              <TableCell align="right">Coins</TableCell>
              <TableCell>Card / device / IP</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {recharges.map((r) => (
              <TableRow key={r.id}>
                <TableCell>
                  <Link to={createPath({ resource: 'recharges', id: r.id, type: 'show' })}>{r.provider_ref}</Link>
                </TableCell>
                <TableCell>{r.method}</TableCell>
                <TableCell align="right">{formatAmount(r.amount, r.currency)}</TableCell>
                <TableCell align="right">{formatAmount(r.coins, 'COIN')}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{[r.card_fingerprint, r.device_id, r.ip].filter(Boolean).join(' · ')}</TableCell>
                <TableCell>
                  <Chip size="small" label={r.state.replace(/_/g, ' ')} color={rechargeStateColor(r.state)} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Stack spacing={2} sx={{ mt: 2 }}>
          {recharges.map((r) => (
            <Box key={r.id}>
              <Typography variant="subtitle2">{r.provider_ref}</Typography>
              <RiskExplanation risk={r.risk} testId={`explanation-${r.id}`} />
            </Box>
          ))}
        </Stack>
      </CardContent>
    </Card>
  );
};

const Evidence = () => {
  const record = useRecordContext();
  const id = String(record?.id ?? '');
  const { data, isPending, error } = useQuery({ queryKey: ['review-evidence', id], queryFn: () => reviewEvidence<Evidence>(id), enabled: Boolean(record) });
  if (isPending) return <CircularProgress size={24} />;
  if (error || !data) return <Alert severity="error">The evidence could not be loaded.</Alert>;
  return <EvidencePanels evidence={data} />;
};

/** One item: who and why, the buttons its state allows, and the evidence. Shortcuts: c, a, r, e, n. */
export const ReviewShow = () => (
  <Show title={<ReviewTitle />} actions={false} sx={{ '& .RaShow-card': { background: 'transparent', boxShadow: 'none' } }}>
    <Header />
    <ReviewActions />
    <ItemRecharges />
    <Evidence />
  </Show>
);

const ReviewTitle = () => {
  const record = useRecordContext();
  return <span>Review {record ? `of ${record.user_id}` : ''}</span>;
};
