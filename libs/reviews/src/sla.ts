import type { ReviewSeverity } from '@coinops/contracts';

/** Minutes to decide an item, by severity; configuration in `ReviewSettings`. */
export const DEFAULT_SLA_MINUTES: Readonly<Record<ReviewSeverity, number>> = {
  critical: 60,
  high: 4 * 60,
  medium: 24 * 60,
  low: 72 * 60,
};

export interface ReviewSettings {
  slaMinutes: Readonly<Record<ReviewSeverity, number>>;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = { slaMinutes: DEFAULT_SLA_MINUTES };

const ORDER: readonly ReviewSeverity[] = ['low', 'medium', 'high', 'critical'];

export function maxSeverity(a: ReviewSeverity, b: ReviewSeverity): ReviewSeverity {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

export function slaDueAt(severity: ReviewSeverity, from: Date, settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS): Date {
  return new Date(from.getTime() + settings.slaMinutes[severity] * 60_000);
}
