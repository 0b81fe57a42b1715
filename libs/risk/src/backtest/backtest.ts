import type { DataSource } from 'typeorm';
import { ValidationFailed } from '@coinops/contracts';
import { decodeContext, FeatureSnapshot } from '../features/catalog';
import { compileExpression } from '../rules/expression';
import { BacktestRequest, BacktestResult, FRAUD_OUTCOMES, SubjectRef } from '../types';

export const MAX_BACKTEST_EVALUATIONS = 200_000;
const MAX_RANGE_MS = 400 * 24 * 3_600_000;
const BATCH_ROWS = 1_000;
const SAMPLE_HITS = 50;

interface Row {
  id: string;
  subject_type: SubjectRef['type'];
  subject_id: string;
  features: FeatureSnapshot;
  fraud: boolean;
}

/**
 * Replays a draft expression on recorded evaluations, each with the features stored at its
 * decision (so the replay sees exactly what the live rules saw), and scores it against the known
 * fraud outcomes: chargebacks, rejected reviews, fraud refunds, confirmed account takeovers.
 */
export async function runBacktest(db: DataSource, request: BacktestRequest): Promise<BacktestResult> {
  const compiled = compileExpression(request?.expression);
  const from = request.from;
  const to = request.to;
  if (!(from instanceof Date) || !(to instanceof Date) || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
    throw ValidationFailed.field('from', 'from and to must be dates with from before to');
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw ValidationFailed.field('to', 'the range must be at most 400 days');
  const limit = Math.min(Math.max(request.maxEvaluations ?? MAX_BACKTEST_EVALUATIONS, 1), MAX_BACKTEST_EVALUATIONS);
  const kind = request.eventKind ?? 'recharge';

  const result: BacktestResult = {
    evaluated: 0,
    hits: 0,
    hitRate: 0,
    positives: 0,
    truePositives: 0,
    precision: null,
    recall: null,
    errors: 0,
    truncated: false,
    sampleHits: [],
  };
  let lastId = '0';
  while (result.evaluated < limit) {
    const rows: Row[] = await db.query(
      `SELECT d.id, d.subject_type, d.subject_id, d.features,
              EXISTS (SELECT 1 FROM risk_outcomes o
                       WHERE o.subject_type = d.subject_type AND o.subject_id = d.subject_id AND o.outcome = ANY($5)) AS fraud
         FROM risk_decisions d
        WHERE d.subject_type = $1 AND d.occurred_at >= $2 AND d.occurred_at < $3 AND d.id > $4
        ORDER BY d.id LIMIT $6`,
      [kind, from, to, lastId, [...FRAUD_OUTCOMES], Math.min(BATCH_ROWS, limit - result.evaluated)],
    );
    if (!rows.length) break;
    for (const row of rows) {
      result.evaluated += 1;
      if (row.fraud) result.positives += 1;
      let hit = false;
      try {
        hit = compiled.matches(decodeContext(row.features));
      } catch {
        result.errors += 1;
      }
      if (!hit) continue;
      result.hits += 1;
      if (row.fraud) result.truePositives += 1;
      if (result.sampleHits.length < SAMPLE_HITS) result.sampleHits.push({ type: row.subject_type, id: row.subject_id });
    }
    lastId = rows[rows.length - 1].id;
  }
  if (result.evaluated >= limit) {
    const [more] = await db.query(
      `SELECT 1 FROM risk_decisions WHERE subject_type = $1 AND occurred_at >= $2 AND occurred_at < $3 AND id > $4 LIMIT 1`,
      [kind, from, to, lastId],
    );
    result.truncated = Boolean(more);
  }
  result.hitRate = result.evaluated ? result.hits / result.evaluated : 0;
  result.precision = result.hits ? result.truePositives / result.hits : null;
  result.recall = result.positives ? result.truePositives / result.positives : null;
  return result;
}
