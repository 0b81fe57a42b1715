import { FRAUD_PATTERNS, type FraudPattern } from '../economy/model';

/** A label as written to the labels file (with the provider references its recharges got). */
export interface LabelLine {
  pattern: FraudPattern;
  instance_id: string;
  recharge_provider_refs: string[];
  gift_ids: string[];
}

export interface RechargeRow {
  id: string;
  provider_ref: string;
  decision: string | null;
}

export interface AlertRow {
  rule_key: string;
  action: string;
  subject_type: string;
  subject_id: string;
}

export interface PatternQuality {
  pattern: FraudPattern | 'legitimate';
  instances: number;
  /** Instances with at least one flagged recharge. */
  instancesCaught: number;
  recharges: number;
  flagged: number;
  /** flagged / recharges, or null without recharges. */
  recall: number | null;
  /** flagged / (flagged + legitimate recharges flagged): the precision if this were the only fraud. */
  precision: number | null;
  /** Gifts of the pattern that were posted, and how many a gift rule sent to review. */
  gifts: number;
  giftsFlagged: number;
  /** The rules that matched its recharges and gifts, most frequent first. */
  rules: Array<[string, number]>;
}

export interface QualityReport {
  patterns: PatternQuality[];
  legitimate: PatternQuality;
  /** Over all fraud: flagged fraud recharges / all flagged, and / all fraud recharges. */
  overallPrecision: number | null;
  overallRecall: number | null;
  /** Legitimate recharges flagged / legitimate recharges. */
  falsePositiveRate: number | null;
  unevaluated: number;
}

const FLAGGED = new Set(['review', 'block']);
const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * The default pack against the simulator's labels: a recharge is flagged when its decision is
 * `review` or `block`; a gift when a gift rule matched it with one of those actions. Everything not
 * labelled is legitimate.
 */
export function measure(labels: LabelLine[], recharges: RechargeRow[], alerts: AlertRow[], postedGiftIds: Set<string>): QualityReport {
  const patternOfRecharge = new Map<string, { pattern: FraudPattern; instance: string }>();
  const patternOfGift = new Map<string, FraudPattern>();
  for (const label of labels) {
    for (const ref of label.recharge_provider_refs) patternOfRecharge.set(ref, { pattern: label.pattern, instance: label.instance_id });
    for (const gift of label.gift_ids) patternOfGift.set(gift, label.pattern);
  }
  const byId = new Map(recharges.map((r) => [r.id, r]));
  const rulesBy = new Map<string, Map<string, number>>();
  const giftFlags = new Map<string, number>();
  const flaggedGifts = new Set<string>();
  for (const alert of alerts) {
    let key: string;
    if (alert.subject_type === 'recharge') {
      const recharge = byId.get(alert.subject_id);
      key = (recharge && patternOfRecharge.get(recharge.provider_ref)?.pattern) ?? 'legitimate';
    } else if (alert.subject_type === 'gift') {
      key = patternOfGift.get(alert.subject_id) ?? 'legitimate';
      if (FLAGGED.has(alert.action) && !flaggedGifts.has(alert.subject_id)) {
        flaggedGifts.add(alert.subject_id);
        giftFlags.set(key, (giftFlags.get(key) ?? 0) + 1);
      }
    } else continue;
    const rules = rulesBy.get(key) ?? new Map<string, number>();
    rules.set(alert.rule_key, (rules.get(alert.rule_key) ?? 0) + 1);
    rulesBy.set(key, rules);
  }

  const tally = new Map<string, { recharges: number; flagged: number; caught: Set<string> }>();
  let unevaluated = 0;
  for (const recharge of recharges) {
    const label = patternOfRecharge.get(recharge.provider_ref);
    const key = label?.pattern ?? 'legitimate';
    const row = tally.get(key) ?? { recharges: 0, flagged: 0, caught: new Set<string>() };
    row.recharges += 1;
    if (recharge.decision === null) unevaluated += 1;
    if (recharge.decision && FLAGGED.has(recharge.decision)) {
      row.flagged += 1;
      if (label) row.caught.add(label.instance);
    }
    tally.set(key, row);
  }
  const legitFlagged = tally.get('legitimate')?.flagged ?? 0;
  const giftsPosted = new Map<string, number>();
  for (const [gift, pattern] of patternOfGift) if (postedGiftIds.has(gift)) giftsPosted.set(pattern, (giftsPosted.get(pattern) ?? 0) + 1);
  const legitGifts = [...postedGiftIds].filter((g) => !patternOfGift.has(g)).length;

  const row = (pattern: FraudPattern | 'legitimate'): PatternQuality => {
    const counts = tally.get(pattern) ?? { recharges: 0, flagged: 0, caught: new Set<string>() };
    const instances = pattern === 'legitimate' ? 0 : labels.filter((l) => l.pattern === pattern).length;
    return {
      pattern,
      instances,
      instancesCaught: counts.caught.size,
      recharges: counts.recharges,
      flagged: counts.flagged,
      recall: pattern === 'legitimate' ? null : share(counts.flagged, counts.recharges),
      precision: pattern === 'legitimate' ? null : share(counts.flagged, counts.flagged + legitFlagged),
      gifts: pattern === 'legitimate' ? legitGifts : giftsPosted.get(pattern) ?? 0,
      giftsFlagged: giftFlags.get(pattern) ?? 0,
      rules: [...(rulesBy.get(pattern) ?? new Map()).entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    };
  };
  const patterns = FRAUD_PATTERNS.map(row);
  const legitimate = row('legitimate');
  const fraudFlagged = patterns.reduce((sum, p) => sum + p.flagged, 0);
  const fraudRecharges = patterns.reduce((sum, p) => sum + p.recharges, 0);
  return {
    patterns,
    legitimate,
    overallPrecision: share(fraudFlagged, fraudFlagged + legitFlagged),
    overallRecall: share(fraudFlagged, fraudRecharges),
    falsePositiveRate: share(legitFlagged, legitimate.recharges),
    unevaluated,
  };
}

const pct = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);

export function markdownTable(report: QualityReport): string {
  const lines = [
    '| pattern | instances (caught) | recharges | flagged | recall | precision | gifts posted (flagged) | rules and alerts that matched (times) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const p of [...report.patterns, report.legitimate]) {
    const rules = p.rules.slice(0, 4).map(([rule, n]) => `${rule} (${n})`).join(', ') || '—';
    const instances = p.pattern === 'legitimate' ? '—' : `${p.instances} (${p.instancesCaught})`;
    lines.push(`| ${p.pattern} | ${instances} | ${p.recharges} | ${p.flagged} | ${p.pattern === 'legitimate' ? '—' : pct(p.recall)} | ${p.pattern === 'legitimate' ? '—' : pct(p.precision)} | ${p.gifts} (${p.giftsFlagged}) | ${rules} |`);
  }
  lines.push(
    '',
    `All fraud together: precision ${pct(report.overallPrecision)}, recall ${pct(report.overallRecall)}; ` +
      `legitimate recharges flagged: ${report.legitimate.flagged} of ${report.legitimate.recharges} (${pct(report.falsePositiveRate)}).` +
      (report.unevaluated ? ` ${report.unevaluated} recharges were not evaluated when read.` : ''),
  );
  return lines.join('\n');
}
