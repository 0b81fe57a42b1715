import { describe, expect, it } from 'vitest';
import { evidenceAge } from './choices';
import { linesFor, monthlyRatios, type RatioPoint, type RatioThreshold } from './ratio';

const point = (month: string, card_brand: string, transactions: number, disputes: number, fraud_warnings = 0): RatioPoint => ({
  month, provider: 'stripe', method: 'card', card_brand, transactions: String(transactions), previous_month_transactions: '0', disputes: String(disputes), fraud_warnings: String(fraud_warnings),
});

describe('the chargeback-ratio chart data', () => {
  it('sums the keys of a month and derives the dispute and VAMP ratios', () => {
    const data = monthlyRatios([point('2026-10', 'visa', 800, 4, 2), point('2026-10', 'mastercard', 200, 6), point('2026-09', 'visa', 1000, 0)], null);
    expect(data).toEqual([
      { month: '2026-09', transactions: 1000, disputes: 0, fraudWarnings: 0, disputeRatio: 0, vampRatio: 0 },
      { month: '2026-10', transactions: 1000, disputes: 10, fraudWarnings: 2, disputeRatio: 1, vampRatio: 1.2 },
    ]);
  });

  it('keeps one brand when asked, and has no ratio for a month without transactions', () => {
    expect(monthlyRatios([point('2026-10', 'visa', 800, 4), point('2026-10', 'mastercard', 0, 6)], 'mastercard')).toEqual([
      { month: '2026-10', transactions: 0, disputes: 6, fraudWarnings: 0, disputeRatio: null, vampRatio: null },
    ]);
  });

  it('draws the lines of the thresholds that watch the chosen brand', () => {
    const thresholds: RatioThreshold[] = [
      { id: 'visa_vamp_excessive', programme: 'Visa VAMP', level: 'excessive', card_brand: 'visa', min_count: 1500, ratio_bps: 150, counts_fraud_warnings: true, denominator: 'same_month', enabled: true },
      { id: 'mastercard_cmm', programme: 'Mastercard CMM', level: 'warning', card_brand: 'mastercard', min_count: 100, ratio_bps: 100, counts_fraud_warnings: false, denominator: 'previous_month', enabled: true },
    ];
    expect(linesFor(thresholds, 'visa')).toEqual([{ id: 'visa_vamp_excessive', label: 'Visa VAMP excessive (1.5 %, ≥ 1500)', percent: 1.5 }]);
    expect(linesFor(thresholds, null)).toHaveLength(2);
  });
});

describe('the evidence due date, aged', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it('counts the days left, warns inside three days and says overdue after', () => {
    expect(evidenceAge('needs_response', '2026-12-05T12:00:00Z', now)).toEqual({ label: '7 d left', tone: 'ok' });
    expect(evidenceAge('opened', '2026-11-29T13:00:00Z', now)).toEqual({ label: '1 d left', tone: 'soon' });
    expect(evidenceAge('needs_response', '2026-11-26T11:00:00Z', now)).toEqual({ label: 'overdue 3 d', tone: 'overdue' });
  });
  it('says nothing once no evidence is awaited', () => {
    expect(evidenceAge('under_review', '2026-11-26T11:00:00Z', now)).toBeNull();
    expect(evidenceAge('won', null, now)).toBeNull();
  });
});
