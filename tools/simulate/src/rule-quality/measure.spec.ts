import { replaceRuleQualitySection } from './docs';
import { markdownTable, measure, type LabelLine } from './measure';

const labels: LabelLine[] = [
  { pattern: 'card_testing', instance_id: 'ct1', recharge_provider_refs: ['ch_1', 'ch_2', 'ch_3', 'ch_4'], gift_ids: [] },
  { pattern: 'account_takeover', instance_id: 'ato1', recharge_provider_refs: ['ch_5'], gift_ids: ['g_1', 'g_2'] },
  { pattern: 'account_takeover', instance_id: 'ato2', recharge_provider_refs: ['ch_6'], gift_ids: [] },
];
const recharge = (id: string, decision: string | null) => ({ id: `r_${id}`, provider_ref: id, decision });
const recharges = [
  recharge('ch_1', 'allow'), recharge('ch_2', 'allow'), recharge('ch_3', 'block'), recharge('ch_4', 'review'),
  recharge('ch_5', 'review'), recharge('ch_6', 'allow'),
  recharge('legit_1', 'allow'), recharge('legit_2', 'review'), recharge('legit_3', 'allow'), recharge('legit_4', null),
];
const alerts = [
  { rule_key: 'card_testing_small_recharges', action: 'block', subject_type: 'recharge', subject_id: 'r_ch_3' },
  { rule_key: 'card_testing_small_recharges', action: 'block', subject_type: 'recharge', subject_id: 'r_ch_4' },
  { rule_key: 'recharge_after_security_change', action: 'review', subject_type: 'recharge', subject_id: 'r_ch_5' },
  { rule_key: 'recharge_gifted_away', action: 'review', subject_type: 'gift', subject_id: 'g_1' },
  { rule_key: 'ip_velocity', action: 'review', subject_type: 'recharge', subject_id: 'r_legit_2' },
];

describe('rule quality', () => {
  const report = measure(labels, recharges, alerts, new Set(['g_1', 'g_2', 'g_legit']));

  it('counts a review or block as flagged: recall per pattern, precision against the flagged legitimate recharges', () => {
    const testing = report.patterns.find((p) => p.pattern === 'card_testing')!;
    expect(testing).toMatchObject({ instances: 1, instancesCaught: 1, recharges: 4, flagged: 2, recall: 0.5 });
    expect(testing.precision).toBeCloseTo(2 / 3);
    const takeover = report.patterns.find((p) => p.pattern === 'account_takeover')!;
    expect(takeover).toMatchObject({ instances: 2, instancesCaught: 1, recharges: 2, flagged: 1, recall: 0.5, gifts: 2, giftsFlagged: 1 });
    expect(report.patterns.find((p) => p.pattern === 'friendly_fraud')).toMatchObject({ recharges: 0, recall: null });
  });

  it('reports overall precision, recall and the legitimate recharges flagged', () => {
    expect(report.overallPrecision).toBeCloseTo(3 / 4);
    expect(report.overallRecall).toBeCloseTo(3 / 6);
    expect(report.falsePositiveRate).toBeCloseTo(1 / 4);
    expect(report.unevaluated).toBe(1);
    expect(report.legitimate.rules).toEqual([['ip_velocity', 1]]);
  });

  it('writes a markdown table with a row per pattern and one for legitimate traffic', () => {
    const table = markdownTable(report);
    expect(table).toMatch(/\| card_testing \| 1 \(1\) \| 4 \| 2 \| 50\.0 % \| 66\.7 % \|/);
    expect(table).toMatch(/\| legitimate \| — \| 4 \| 1 \|/);
    expect(table).toMatch(/precision 75\.0 %, recall 50\.0 %/);
  });

  it('replaces only the table between its markers on a second run, and appends the section the first time', () => {
    const meta = { seed: 's', days: 3, users: 10, fraudScale: 1, fraudRates: { card_testing: 1, stolen_card_ring: 1, friendly_fraud: 1, refund_abuse: 1, account_takeover: 1 }, measuredOn: '2026-01-01' };
    const first = replaceRuleQualitySection('# Risk\n\nintro\n', 'TABLE ONE', meta);
    expect(first).toMatch(/^# Risk\n\nintro\n\n## Rule quality\n/);
    const edited = first.replace('How well the default pack', 'Edited by hand: how well the default pack');
    const second = replaceRuleQualitySection(`${edited}\n## Later section\n`, 'TABLE TWO', { ...meta, measuredOn: '2026-02-02' });
    expect(second).toContain('Edited by hand');
    expect(second).toContain('TABLE TWO');
    expect(second).not.toContain('TABLE ONE');
    expect(second).toContain('## Later section');
    expect(second.match(/## Rule quality/g)).toHaveLength(1);
  });
});
