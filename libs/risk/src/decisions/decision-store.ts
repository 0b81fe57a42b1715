import type { DataSource, EntityManager } from 'typeorm';
import type { FeatureSnapshot } from '../features/catalog';
import type { LiveRule } from '../rules/rule-store';
import { RiskDecision, SubjectRef } from '../types';
import type { Verdict } from './decide';

interface DecisionRow {
  id: string;
  subject_type: SubjectRef['type'];
  subject_id: string;
  user_id: string;
  decision: RiskDecision['decision'];
  score: number;
  reasons: { reasons: RiskDecision['reasons']; allowedBy: RiskDecision['allowedBy']; ruleErrors: RiskDecision['ruleErrors'] };
  evaluated_at: Date;
}

function toDecision(row: DecisionRow): RiskDecision {
  return {
    subject: { type: row.subject_type, id: row.subject_id },
    userId: row.user_id,
    decision: row.decision,
    score: Number(row.score),
    reasons: row.reasons.reasons,
    allowedBy: row.reasons.allowedBy,
    ruleErrors: row.reasons.ruleErrors,
    evaluatedAt: new Date(row.evaluated_at),
    decisionId: String(row.id),
  };
}

const COLUMNS = 'id, subject_type, subject_id, user_id, decision, score, reasons, evaluated_at';

/** Recorded (asynchronous) decisions: one per subject, with their features and one alert per match. */
export class DecisionStore {
  constructor(private readonly db: DataSource) {}

  async find(subject: SubjectRef, manager?: EntityManager): Promise<RiskDecision | null> {
    const [row]: DecisionRow[] = await (manager ?? this.db.manager).query(
      `SELECT ${COLUMNS} FROM risk_decisions WHERE subject_type = $1 AND subject_id = $2`,
      [subject.type, subject.id],
    );
    return row ? toDecision(row) : null;
  }

  /**
   * Stores the decision and its alerts. When another evaluation of the same subject committed
   * first, nothing is written and that one is returned: evaluating twice acts once.
   */
  async record(
    input: { subject: SubjectRef; userId: string; verdict: Verdict; features: FeatureSnapshot; rules: LiveRule[]; occurredAt: Date; evaluatedAt: Date },
    manager?: EntityManager,
  ): Promise<RiskDecision> {
    const runner = manager ?? this.db.manager;
    const { verdict } = input;
    const [inserted]: DecisionRow[] = await runner.query(
      `INSERT INTO risk_decisions (subject_type, subject_id, user_id, decision, score, reasons, features, rule_versions, occurred_at, evaluated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
       ON CONFLICT (subject_type, subject_id) DO NOTHING RETURNING ${COLUMNS}`,
      [
        input.subject.type,
        input.subject.id,
        input.userId,
        verdict.decision,
        verdict.score,
        JSON.stringify({ reasons: verdict.reasons, allowedBy: verdict.allowedBy, ruleErrors: verdict.ruleErrors }),
        JSON.stringify(input.features),
        JSON.stringify(input.rules.map((r) => ({ rule_id: r.ruleId, key: r.key, version: r.version }))),
        input.occurredAt,
        input.evaluatedAt,
      ],
    );
    if (!inserted) return (await this.find(input.subject, manager)) as RiskDecision;
    if (verdict.reasons.length) {
      const params: unknown[] = [];
      const tuples = verdict.reasons.map((r) => {
        const base = params.length;
        params.push(inserted.id, r.ruleId, r.ruleKey, r.version, r.action, r.severity, r.score, input.subject.type, input.subject.id, input.userId, JSON.stringify(r.values));
        return `(${Array.from({ length: 11 }, (_, i) => `$${base + i + 1}`).join(',')})`;
      });
      await runner.query(
        `INSERT INTO risk_alerts (decision_id, rule_id, rule_key, rule_version, action, severity, score, subject_type, subject_id, user_id, "values")
         VALUES ${tuples.join(',')}`,
        params,
      );
    }
    return toDecision(inserted);
  }
}
