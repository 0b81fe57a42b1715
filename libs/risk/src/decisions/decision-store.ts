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

  /** The recorded decisions of many subjects in one read, by `subjectKey`. */
  async findMany(subjects: SubjectRef[], manager?: EntityManager): Promise<Map<string, RiskDecision>> {
    const found = new Map<string, RiskDecision>();
    if (subjects.length === 0) return found;
    const rows: DecisionRow[] = await (manager ?? this.db.manager).query(
      `SELECT ${COLUMNS} FROM risk_decisions WHERE (subject_type, subject_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [subjects.map((s) => s.type), subjects.map((s) => s.id)],
    );
    for (const row of rows) found.set(subjectKey({ type: row.subject_type, id: row.subject_id }), toDecision(row));
    return found;
  }

  /**
   * `record` for many subjects (each at most once) in two statements: the decisions, then every
   * alert. A subject whose decision another evaluation committed first gets that one back.
   */
  async recordMany(inputs: RecordInput[], manager?: EntityManager): Promise<RiskDecision[]> {
    if (inputs.length === 0) return [];
    const runner = manager ?? this.db.manager;
    const inserted = new Map<string, DecisionRow>();
    for (let start = 0; start < inputs.length; start += RECORD_CHUNK) {
      // One JSON document for the whole chunk: PostgreSQL parses it once, whatever the number of rows.
      const rows: DecisionRow[] = await runner.query(
        `INSERT INTO risk_decisions (${INSERT_COLUMNS})
         SELECT ${INSERT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS d(subject_type text, subject_id text, user_id text, decision text, score int,
                reasons jsonb, features jsonb, rule_versions jsonb, occurred_at timestamptz, evaluated_at timestamptz)
         ON CONFLICT (subject_type, subject_id) DO NOTHING RETURNING ${COLUMNS}`,
        [JSON.stringify(inputs.slice(start, start + RECORD_CHUNK).map(decisionRecord))],
      );
      for (const row of rows) inserted.set(subjectKey({ type: row.subject_type, id: row.subject_id }), row);
    }
    const alerts: unknown[][] = [];
    for (const input of inputs) {
      const row = inserted.get(subjectKey(input.subject));
      if (row) alerts.push(...alertParams(row.id, input));
    }
    for (let start = 0; start < alerts.length; start += ALERT_CHUNK) await insertAlerts(runner, alerts.slice(start, start + ALERT_CHUNK));
    const raced = inputs.filter((input) => !inserted.has(subjectKey(input.subject)));
    const earlier = await this.findMany(
      raced.map((input) => input.subject),
      manager,
    );
    return inputs.map((input) => {
      const key = subjectKey(input.subject);
      const row = inserted.get(key);
      return row ? toDecision(row) : (earlier.get(key) as RiskDecision);
    });
  }

  /**
   * Stores the decision and its alerts. When another evaluation of the same subject committed
   * first, nothing is written and that one is returned: evaluating twice acts once.
   */
  async record(input: RecordInput, manager?: EntityManager): Promise<RiskDecision> {
    const runner = manager ?? this.db.manager;
    const [inserted]: DecisionRow[] = await runner.query(
      `INSERT INTO risk_decisions (${INSERT_COLUMNS})
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
       ON CONFLICT (subject_type, subject_id) DO NOTHING RETURNING ${COLUMNS}`,
      decisionParams(input),
    );
    if (!inserted) return (await this.find(input.subject, manager)) as RiskDecision;
    const alerts = alertParams(inserted.id, input);
    if (alerts.length) await insertAlerts(runner, alerts);
    return toDecision(inserted);
  }
}

export interface RecordInput {
  subject: SubjectRef;
  userId: string;
  verdict: Verdict;
  features: FeatureSnapshot;
  rules: LiveRule[];
  occurredAt: Date;
  evaluatedAt: Date;
}

/** One subject's identity in maps: `recharge:<id>`. */
export const subjectKey = (subject: SubjectRef): string => `${subject.type}:${subject.id}`;

const INSERT_COLUMNS = 'subject_type, subject_id, user_id, decision, score, reasons, features, rule_versions, occurred_at, evaluated_at';
/** Rows per statement: bounds the size of one statement (a decision's features are a few kB). */
const RECORD_CHUNK = 1_000;
const ALERT_CHUNK = 2_000;

/** A decision row as one JSON object (for jsonb_to_recordset); timestamps as ISO strings. */
function decisionRecord(input: RecordInput): Record<string, unknown> {
  const { verdict } = input;
  return {
    subject_type: input.subject.type,
    subject_id: input.subject.id,
    user_id: input.userId,
    decision: verdict.decision,
    score: verdict.score,
    reasons: { reasons: verdict.reasons, allowedBy: verdict.allowedBy, ruleErrors: verdict.ruleErrors },
    features: input.features,
    rule_versions: input.rules.map((r) => ({ rule_id: r.ruleId, key: r.key, version: r.version })),
    occurred_at: input.occurredAt.toISOString(),
    evaluated_at: input.evaluatedAt.toISOString(),
  };
}

function decisionParams(input: RecordInput): unknown[] {
  const { verdict } = input;
  return [
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
  ];
}

/** One alert per matching rule. */
function alertParams(decisionId: string, input: RecordInput): unknown[][] {
  return input.verdict.reasons.map((r) => [
    decisionId,
    r.ruleId,
    r.ruleKey,
    r.version,
    r.action,
    r.severity,
    r.score,
    input.subject.type,
    input.subject.id,
    input.userId,
    JSON.stringify(r.values),
  ]);
}

async function insertAlerts(runner: EntityManager, alerts: unknown[][]): Promise<void> {
  if (alerts.length === 0) return;
  const column = (i: number) => alerts.map((values) => values[i]);
  await runner.query(
    `INSERT INTO risk_alerts (decision_id, rule_id, rule_key, rule_version, action, severity, score, subject_type, subject_id, user_id, "values")
     SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::jsonb[])`,
    Array.from({ length: 11 }, (_, i) => column(i)),
  );
}
