import { Chip } from '@mui/material';
import { useEffect, useState } from 'react';
import { ACTIVE_STATES, formatCountdown } from './machine';

/** The current time, refreshed every `intervalMs`: one timer per mounted countdown. */
function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Time left before an item's SLA (red once overdue, amber in its last hour); decided items show no clock. */
export const SlaCountdown = ({ dueAt, state }: { dueAt: string; state: string }) => {
  const now = useNow();
  if (!ACTIVE_STATES.includes(state as never)) return <Chip size="small" variant="outlined" label="decided" />;
  const remainingMs = new Date(dueAt).getTime() - now;
  const color = remainingMs < 0 ? 'error' : remainingMs < 3_600_000 ? 'warning' : 'default';
  return <Chip size="small" color={color} label={formatCountdown(remainingMs)} data-testid="sla-countdown" data-overdue={remainingMs < 0 ? 'true' : 'false'} />;
};
