import { CHARGEBACK_AWAITING_EVIDENCE, CHARGEBACK_STATES, type ChargebackState } from '@coinops/contracts';

export const chargebackStateChoices = CHARGEBACK_STATES.map((id) => ({ id, name: id.replace(/_/g, ' ') }));

export const chargebackStateColor = (state: string): 'default' | 'warning' | 'error' | 'success' | 'info' => {
  if (state === 'won') return 'success';
  if (state === 'lost') return 'error';
  if (state === 'inquiry' || state === 'inquiry_closed') return 'info';
  return 'warning';
};

/** How the evidence due date reads to an operator: days left, or overdue (aged). */
export function evidenceAge(state: string, dueBy: string | null, now = Date.now()): { label: string; tone: 'ok' | 'soon' | 'overdue' } | null {
  if (!dueBy || !CHARGEBACK_AWAITING_EVIDENCE.includes(state as ChargebackState)) return null;
  const days = Math.floor((new Date(dueBy).getTime() - now) / 86_400_000);
  if (days < 0) return { label: `overdue ${-days} d`, tone: 'overdue' };
  if (days < 3) return { label: days === 0 ? 'due today' : `${days} d left`, tone: 'soon' };
  return { label: `${days} d left`, tone: 'ok' };
}
