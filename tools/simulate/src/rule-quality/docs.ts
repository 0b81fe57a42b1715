import { FRAUD_PATTERNS, type FraudRates } from '../economy/model';

export const SECTION_HEADING = '## Rule quality';
const START = '<!-- rule-quality:start (written by `npm run rule-quality -w @coinops/simulate`; edit the text around it, not inside) -->';
const END = '<!-- rule-quality:end -->';

/**
 * docs/risk.md's "Rule quality" section with a new table: only the part between the markers changes
 * when the section exists; otherwise the section is appended with its explanation.
 */
export function replaceRuleQualitySection(
  text: string,
  table: string,
  meta: { seed: string; days: number; users: number; fraudScale: number; fraudRates: FraudRates; measuredOn: string },
): string {
  const rates = FRAUD_PATTERNS.map((p) => `${p} ${meta.fraudRates[p]}`).join(', ');
  const block = [
    START,
    `Measured ${meta.measuredOn}: seed \`${meta.seed}\`, ${meta.days} simulated days, ${meta.users} users, fraud instances per 1,000 users per day: ${rates}.`,
    '',
    table,
    END,
  ].join('\n');
  const start = text.indexOf(START.slice(0, 30));
  const end = text.indexOf(END);
  if (start !== -1 && end > start) return `${text.slice(0, start)}${block}${text.slice(end + END.length)}`;
  const section = [
    SECTION_HEADING,
    '',
    'How well the default pack catches each fraud pattern of the economy simulator (docs/simulator.md), measured',
    'through the public API only. `npm run rule-quality -w @coinops/simulate` creates a `coinops_bench_sim_*`',
    'database, starts the API, the worker and the Stripe simulator on free ports, seeds the simulated economy',
    'with labelled fraud, waits for the worker, reads every recharge\'s decision (`GET /api/recharges`) and every',
    'alert (`GET /api/alerts`), and rewrites the table below (then drops the database).',
    '',
    '- A recharge is **flagged** when its decision is `review` or `block`. **Recall** = flagged recharges of',
    '  the pattern / its recharges. **Precision** = flagged recharges of the pattern / (those + every flagged',
    '  legitimate recharge): what an analyst would see if this were the only fraud. "Instances (caught)"',
    '  counts instances with at least one flagged recharge.',
    '- Gifts: those of the pattern that the API posted (a held or blocked recharge leaves no coins to',
    '  gift, so the gift is refused with 409 and never posted), and how many a gift rule sent to review.',
    '- Decisions are made when the recharge arrives; disputes and refunds come later and feed the',
    '  `prior_*` rules for the next recharge only. Friendly fraud looks like an ordinary purchase until',
    '  the dispute, so a low recall there is expected: chargeback handling, not the rules, is the defence.',
    '- The run is deterministic in what it sends (the seed); decisions can differ by a recharge or two',
    '  between runs because webhooks arrive late and out of order (by design) and the worker evaluates',
    '  concurrently. The last column counts alerts: one per matching rule, plus `early_fraud_warning`',
    '  alerts that come from the issuer, not from a rule.',
    '',
    block,
    '',
  ].join('\n');
  return `${text.trimEnd()}\n\n${section}`;
}
