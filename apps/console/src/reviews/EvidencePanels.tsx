import { Box, Card, CardContent, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Link, useCreatePath } from 'react-admin';
import { formatAmount } from '../fields/amount';
import { rechargeStateColor } from '../recharges/choices';
import type { Evidence, Instrument, LinkedAccount } from './evidenceTypes';

const Section = ({ title, testId, children, note }: { title: string; testId: string; children: ReactNode; note?: string }) => (
  <Card variant="outlined" data-testid={testId}>
    <CardContent>
      <Typography variant="h6" gutterBottom>
        {title}
      </Typography>
      {note && (
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {note}
        </Typography>
      )}
      {children}
    </CardContent>
  </Card>
);

const Empty = ({ text }: { text: string }) => <Typography color="text.secondary">{text}</Typography>;
const when = (value: unknown) => (value ? new Date(String(value)).toLocaleString() : '—');

const UserLink = ({ id }: { id: string }) => {
  const createPath = useCreatePath();
  return <Link to={createPath({ resource: 'users', id, type: 'show' })}>{id}</Link>;
};

/** Cards, devices and IPs the user paid with (or their profile names), blocked ones marked. */
export const InstrumentsPanel = ({ instruments }: { instruments: Instrument[] }) => (
  <Section title="Cards, devices and IPs" testId="instruments">
    {instruments.length === 0 ? (
      <Empty text="None recorded." />
    ) : (
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Kind</TableCell>
            <TableCell>Value</TableCell>
            <TableCell align="right">Recharges</TableCell>
            <TableCell align="right">Coins</TableCell>
            <TableCell align="right">Other users</TableCell>
            <TableCell>Last seen</TableCell>
            <TableCell>Status</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {instruments.map((i) => (
            <TableRow key={`${i.kind}:${i.value}`} data-instrument={`${i.kind}:${i.value}`}>
              <TableCell>{i.kind}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{i.value}</TableCell>
              <TableCell align="right">{i.recharges}{i.via_profile ? ' (+ profile)' : ''}</TableCell>
              <TableCell align="right">{formatAmount(i.coins, 'COIN')}</TableCell>
              <TableCell align="right">{i.other_users > 0 ? <Chip size="small" color="warning" label={i.other_users} /> : 0}</TableCell>
              <TableCell>{when(i.last_seen)}</TableCell>
              <TableCell>{i.blocked ? <Chip size="small" color="error" label="blocked" data-testid="blocked" /> : <Chip size="small" variant="outlined" label="not blocked" />}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
  </Section>
);

/** Other users sharing a card, device or IP with this one, with their state. */
export const LinkedAccountsPanel = ({ accounts, limit }: { accounts: LinkedAccount[]; limit?: number }) => (
  <Section title="Linked accounts" testId="linked-accounts" note="Other users sharing a card fingerprint, a device or an IP with this user.">
    {accounts.length === 0 ? (
      <Empty text="No other account shares a card, device or IP." />
    ) : (
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>User</TableCell>
            <TableCell>Shares</TableCell>
            <TableCell align="right">Recharges</TableCell>
            <TableCell>State</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {accounts.map((a) => (
            <TableRow key={a.user_id} data-linked={a.user_id}>
              <TableCell>{a.known ? <UserLink id={a.user_id} /> : a.user_id}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{a.via.map((v) => `${v.kind} ${v.value}`).join(', ')}</TableCell>
              <TableCell align="right">{a.recharges}</TableCell>
              <TableCell>
                <Stack direction="row" spacing={0.5}>
                  {a.frozen && <Chip size="small" color="warning" label="frozen" />}
                  {a.charged_back && <Chip size="small" color="error" label="charged back" />}
                  {!a.frozen && !a.charged_back && <Chip size="small" variant="outlined" label="active" />}
                </Stack>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
    {limit !== undefined && accounts.length >= limit && <Typography variant="caption">Showing the first {limit}.</Typography>}
  </Section>
);

/** Everything weighed on an item: history, where the coins went, instruments, linked accounts. */
export const EvidencePanels = ({ evidence }: { evidence: Evidence }) => (
  <Stack spacing={2} data-testid="evidence">
    <LinkedAccountsPanel accounts={evidence.linked_accounts} limit={evidence.limits.linkedAccounts} />
    <InstrumentsPanel instruments={evidence.instruments} />
    <Section title={`Recharges (${evidence.recharges.total})`} testId="evidence-recharges">
      {evidence.recharges.rows.length === 0 ? (
        <Empty text="No recharge." />
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Paid at</TableCell>
              <TableCell>Method</TableCell>
              <TableCell align="right">Amount</TableCell>
              <TableCell align="right">Coins</TableCell>
              <TableCell>Card</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Decision</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {evidence.recharges.rows.map((r) => (
              <TableRow key={String(r.id)}>
                <TableCell>{when(r.occurred_at)}</TableCell>
                <TableCell>{r.method}</TableCell>
                <TableCell align="right">{formatAmount(String(r.amount), String(r.currency))}</TableCell>
                <TableCell align="right">{formatAmount(String(r.coins), 'COIN')}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{r.card_fingerprint ?? '—'}</TableCell>
                <TableCell>
                  <Chip size="small" label={String(r.state).replace(/_/g, ' ')} color={rechargeStateColor(r.state)} />
                </TableCell>
                <TableCell>{r.decision ?? '—'} {r.risk_score !== null ? `(${r.risk_score})` : ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
      <Box flex={1}>
        <Section title="Where the coins went" testId="coins-went-to">
          {evidence.coins_went_to.length === 0 ? (
            <Empty text="No gift sent." />
          ) : (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>Creator</TableCell>
                  <TableCell align="right">Gifts</TableCell>
                  <TableCell align="right">Coins</TableCell>
                  <TableCell>KYC</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {evidence.coins_went_to.map((c) => (
                  <TableRow key={c.creator_id}>
                    <TableCell>{c.creator_id}</TableCell>
                    <TableCell align="right">{c.gifts}</TableCell>
                    <TableCell align="right">{formatAmount(c.coins, 'COIN')}</TableCell>
                    <TableCell>{c.kyc_status ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Section>
      </Box>
      <Box flex={1}>
        <Section title={`Gifts sent (${evidence.gifts.total})`} testId="gifts">
          {evidence.gifts.rows.length === 0 ? (
            <Empty text="No gift sent." />
          ) : (
            <Table size="small">
              <TableBody>
                {evidence.gifts.rows.slice(0, 10).map((g) => (
                  <TableRow key={String(g.id)}>
                    <TableCell>{when(g.created_at)}</TableCell>
                    <TableCell>{g.creator_id}</TableCell>
                    <TableCell align="right">{formatAmount(String(g.coins), 'COIN')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Section>
      </Box>
    </Stack>
    <Section title="Refunds and chargebacks" testId="refunds-chargebacks">
      {evidence.refunds.rows.length + evidence.chargebacks.rows.length === 0 ? (
        <Empty text="None." />
      ) : (
        <Table size="small">
          <TableBody>
            {[...evidence.chargebacks.rows.map((r) => ({ ...r, what: 'chargeback' })), ...evidence.refunds.rows.map((r) => ({ ...r, what: 'refund' }))].map((r: Record<string, string | null>) => (
              <TableRow key={`${r.what}:${r.id}`}>
                <TableCell>{r.what}</TableCell>
                <TableCell>{r.provider_ref}</TableCell>
                <TableCell align="right">{formatAmount(String(r.amount), String(r.currency))}</TableCell>
                <TableCell>{String(r.state).replace(/_/g, ' ')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  </Stack>
);

export { UserLink };
