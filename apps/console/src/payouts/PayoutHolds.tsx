import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, useNotify, usePermissions, useRecordContext, useRefresh } from 'react-admin';
import { DECIDERS, HOLD_LABELS } from './machine';
import { problemOf, releaseHold } from './payoutsApi';
import { ReasonDialog } from './ReasonDialog';

interface Hold {
  id: string;
  reason: keyof typeof HOLD_LABELS;
  detail: string;
  created_at: string;
  released_at: string | null;
  release_kind: string | null;
  released_by_email: string | null;
  release_reason: string | null;
}

const OPEN = ['requested', 'on_hold', 'pending_approval'];
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

/** Every hold of the payout: why, since when, and who released it why (or that its cause cleared). Finance releases active ones. */
export const PayoutHolds = () => {
  const record = useRecordContext();
  const { permissions: role } = usePermissions<string>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [releasing, setReleasing] = useState<Hold | null>(null);
  const { mutate, isPending } = useMutation({
    mutationFn: ({ hold, reason }: { hold: Hold; reason: string }) => releaseHold(String(record?.id), hold.id, reason),
    onSuccess: async () => {
      setReleasing(null);
      notify('Hold released', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['payouts'] });
      refresh();
    },
    onError: (error: unknown) => notify(problemOf(error), { type: 'error' }),
  });
  if (!record) return null;
  const holds = (record.holds as Hold[]) ?? [];
  const canRelease = DECIDERS.includes(String(role)) && OPEN.includes(String(record.state));
  return (
    <Box data-testid="payout-holds" sx={{ mt: 2 }}>
      <Typography variant="h6" gutterBottom>
        Holds
      </Typography>
      {holds.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          None: nothing held this payout.
        </Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Reason</TableCell>
              <TableCell>Detail</TableCell>
              <TableCell>Placed</TableCell>
              <TableCell>Released</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {holds.map((hold) => (
              <TableRow key={hold.id} data-hold={hold.reason} data-released={hold.released_at ? 'true' : 'false'}>
                <TableCell>{HOLD_LABELS[hold.reason] ?? hold.reason}</TableCell>
                <TableCell>{hold.detail}</TableCell>
                <TableCell>{time(hold.created_at)}</TableCell>
                <TableCell>
                  {hold.released_at
                    ? `${time(hold.released_at)} — ${hold.release_kind === 'manual' ? `${hold.released_by_email}: ${hold.release_reason}` : hold.release_reason}`
                    : 'active'}
                </TableCell>
                <TableCell>{!hold.released_at && canRelease && <Button label="Release" onClick={() => setReleasing(hold)} data-action="payout-release-hold" />}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {releasing && (
        <ReasonDialog
          title={`Release the hold "${HOLD_LABELS[releasing.reason] ?? releasing.reason}"`}
          subject={releasing.detail}
          submit="Release"
          pending={isPending}
          onClose={() => setReleasing(null)}
          onSubmit={(reason) => mutate({ hold: releasing, reason })}
        />
      )}
    </Box>
  );
};
