import type Redis from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { Conflict, ValidationFailed } from '@coinops/contracts';
import type { ErrorDetail } from '@coinops/contracts';
import { runBacktest } from './backtest/backtest';
import { decide } from './decisions/decide';
import { DecisionStore, RecordInput, subjectKey } from './decisions/decision-store';
import { EventLog } from './events/event-log';
import { toStoredEvent } from './events/stored-event';
import { encodeContext, FeatureSnapshot } from './features/catalog';
import { FeatureStore } from './features/feature-store';
import { RiskKeys } from './features/redis-keys';
import { ListStore } from './lists/list-store';
import { OutcomeStore, RecordOutcomeOptions } from './outcomes/outcome-store';
import { DEFAULT_RULES } from './rules/default-pack';
import { validateExpression } from './rules/expression';
import { RuleStore } from './rules/rule-store';
import { AfterCommitHooks } from './shared/after-commit';
import {
  BacktestRequest,
  BacktestResult,
  EvaluatedEvent,
  ListEntry,
  ListKind,
  ListName,
  NewListEntry,
  ObservableEvent,
  RiskDecision,
  RiskOutcome,
  Rule,
  RuleDraft,
  RuleVersion,
  SubjectFacts,
  SubjectRef,
} from './types';

export interface RiskEngineOptions {
  dataSource: DataSource;
  redis: Redis;
  /** Prefix of every Redis key the engine writes (`<keyPrefix>:risk:...`). */
  keyPrefix: string;
  /** Start a full feature rebuild in the background when Redis lost its data (default true). */
  autoRebuild?: boolean;
  /** Failures that must not fail the caller (a Redis mirror after commit, a background rebuild). */
  onError?: (error: unknown, during: string) => void;
}

export interface EvaluateOptions {
  /**
   * true: asynchronous evaluation of a stored event. The event is observed, the decision, its
   * feature snapshot and one alert per matching rule are stored, once per subject (a second call
   * returns the first decision). false: a synchronous pre-charge decision that records nothing.
   */
  record: boolean;
  /** The caller's transaction, for `record: true`. */
  manager?: EntityManager;
  /** The decision time, against which list expiry is judged (default now). */
  now?: Date;
}

export interface ObserveOptions {
  manager?: EntityManager;
}

/** Events per `evaluateBatch` call. */
export const MAX_BATCH = 1_000;

function checkSubject(subject: SubjectFacts): void {
  const problems: ErrorDetail[] = [];
  if (!(subject?.createdAt instanceof Date) || Number.isNaN(subject.createdAt.getTime())) problems.push({ field: 'user.created_at', message: 'must be a valid date' });
  if (subject?.birthYear !== undefined && subject.birthYear !== null && (!Number.isInteger(subject.birthYear) || subject.birthYear < 1900 || subject.birthYear > 2100)) {
    problems.push({ field: 'user.birth_year', message: 'must be a year between 1900 and 2100' });
  }
  if (subject?.country !== undefined && !/^[A-Za-z]{2}$/.test(subject.country)) problems.push({ field: 'user.country', message: 'must be an ISO 3166-1 alpha-2 code' });
  if (subject?.emailDomain !== undefined && (typeof subject.emailDomain !== 'string' || subject.emailDomain.length > 200)) problems.push({ field: 'user.email_domain', message: 'must be at most 200 characters' });
  if (problems.length) throw new ValidationFailed(problems);
}

/** A gift's sender age comes from the subject facts unless the event carries it. */
function withSenderAge(event: EvaluatedEvent, subject: SubjectFacts): EvaluatedEvent {
  return event?.kind === 'gift' && event.senderCreatedAt === undefined ? { ...event, senderCreatedAt: subject.createdAt } : event;
}

/**
 * The risk engine: features (Redis, rebuilt from PostgreSQL), versioned CEL rules, block and allow
 * lists, decisions with their explanation, alerts, outcomes and backtests. No HTTP here: the API
 * and the worker call these methods.
 */
export class RiskEngine {
  readonly keys: RiskKeys;
  private readonly db: DataSource;
  private readonly afterCommit: AfterCommitHooks;
  private readonly features: FeatureStore;
  private readonly events: EventLog;
  private readonly rules: RuleStore;
  private readonly lists: ListStore;
  private readonly decisions: DecisionStore;
  private readonly outcomes: OutcomeStore;
  private readonly autoRebuild: boolean;

  constructor(options: RiskEngineOptions) {
    const report = options.onError ?? ((error, during) => console.error(`[risk] ${during} failed:`, error));
    this.db = options.dataSource;
    this.keys = new RiskKeys(options.keyPrefix);
    this.autoRebuild = options.autoRebuild ?? true;
    this.afterCommit = new AfterCommitHooks(this.db, (error) => report(error, 'after-commit Redis update'));
    this.features = new FeatureStore(options.redis, this.db, this.keys, (error) => report(error, 'feature rebuild'));
    this.events = new EventLog(this.db, this.features, this.afterCommit);
    this.rules = new RuleStore(this.db, options.redis, this.keys, this.afterCommit);
    this.lists = new ListStore(this.db, options.redis, this.keys, this.afterCommit);
    this.decisions = new DecisionStore(this.db);
    this.outcomes = new OutcomeStore(this.db, this.events);
  }

  /**
   * Records an observation (recharge, gift, security change) in `risk_events`, in the caller's
   * transaction when given, and mirrors it into Redis after commit. Idempotent on kind and id.
   */
  async observe(event: ObservableEvent, options: ObserveOptions = {}): Promise<{ id: string; inserted: boolean }> {
    const { id, inserted } = await this.events.append(toStoredEvent(event), options.manager);
    return { id, inserted };
  }

  /** Decides on a recharge or gift: `{decision, score, reasons}` plus what allowed it. */
  async evaluate(input: EvaluatedEvent, subject: SubjectFacts, options: EvaluateOptions): Promise<RiskDecision> {
    checkSubject(subject);
    const event = withSenderAge(input, subject);
    if (event?.kind !== 'recharge' && event?.kind !== 'gift') throw ValidationFailed.field('kind', 'must be recharge or gift');
    const stored = toStoredEvent(event);
    const subjectRef: SubjectRef = { type: event.kind, id: event.id };
    if (options.record) {
      const existing = await this.decisions.find(subjectRef, options.manager);
      if (existing) return existing;
      await this.events.append(stored, options.manager);
    }
    const now = options.now ?? new Date();
    const read = await this.features.read(event, subject, { nowMs: now.getTime(), autoRebuild: this.autoRebuild });
    const live = await this.rules.live(read.rulesToken);
    const verdict = decide(live, read.context, event.kind, read.listHits);
    if (!options.record) {
      return { subject: subjectRef, userId: event.userId, ...verdict, evaluatedAt: now, decisionId: null };
    }
    return this.decisions.record(
      {
        subject: subjectRef,
        userId: event.userId,
        verdict,
        features: encodeContext(read.context),
        rules: live,
        occurredAt: event.occurredAt,
        evaluatedAt: now,
      },
      options.manager,
    );
  }

  /**
   * `evaluate(..., {record: true})` for many events in the caller's transaction, with the same
   * decisions: one read of earlier decisions, one insert of the events, one Redis round trip for
   * every feature read, one insert of the decisions and one of their alerts. Answers in input order;
   * a subject given twice is evaluated once. Events that share a user, card, device or IP do not see
   * each other's features (they are mirrored after commit), as with concurrent `evaluate` calls: a
   * caller that wants them to runs them in separate batches. Throws on the first invalid input.
   */
  async evaluateBatch(inputs: ReadonlyArray<{ event: EvaluatedEvent; subject: SubjectFacts }>, options: { manager?: EntityManager; now?: Date } = {}): Promise<RiskDecision[]> {
    if (inputs.length > MAX_BATCH) throw ValidationFailed.field('events', `at most ${MAX_BATCH} per batch`);
    const prepared = inputs.map(({ event: input, subject }) => {
      checkSubject(subject);
      const event = withSenderAge(input, subject);
      if (event?.kind !== 'recharge' && event?.kind !== 'gift') throw ValidationFailed.field('kind', 'must be recharge or gift');
      return { event, subject, stored: toStoredEvent(event), ref: { type: event.kind, id: event.id } as SubjectRef };
    });
    const unique = [...new Map(prepared.map((p) => [subjectKey(p.ref), p])).values()];
    const existing = await this.decisions.findMany(
      unique.map((p) => p.ref),
      options.manager,
    );
    const pending = unique.filter((p) => !existing.has(subjectKey(p.ref)));
    await this.events.appendMany(
      pending.map((p) => p.stored),
      options.manager,
    );
    const now = options.now ?? new Date();
    const reads = await this.features.readMany(pending, { nowMs: now.getTime(), autoRebuild: this.autoRebuild });
    const records: RecordInput[] = [];
    for (const [i, p] of pending.entries()) {
      // Sequential: the first call loads the live rules when their token changed, the rest hit the cache.
      const live = await this.rules.live(reads[i].rulesToken);
      records.push({
        subject: p.ref,
        userId: p.event.userId,
        verdict: decide(live, reads[i].context, p.event.kind, reads[i].listHits),
        features: encodeContext(reads[i].context),
        rules: live,
        occurredAt: p.event.occurredAt,
        evaluatedAt: now,
      });
    }
    const recorded = await this.decisions.recordMany(records, options.manager);
    pending.forEach((p, i) => existing.set(subjectKey(p.ref), recorded[i]));
    return prepared.map((p) => existing.get(subjectKey(p.ref)) as RiskDecision);
  }

  /**
   * The features an evaluation of this event would see, recording nothing: for the console's
   * "why" view and for tests. Integers are decimal strings.
   */
  async explainFeatures(input: EvaluatedEvent, subject: SubjectFacts, options: { now?: Date } = {}): Promise<FeatureSnapshot> {
    checkSubject(subject);
    const event = withSenderAge(input, subject);
    toStoredEvent(event);
    const read = await this.features.read(event, subject, { nowMs: (options.now ?? new Date()).getTime(), autoRebuild: this.autoRebuild });
    return encodeContext(read.context);
  }

  /** The recorded decision on a subject, if it was evaluated with `record: true`. */
  getDecision(subject: SubjectRef, manager?: EntityManager): Promise<RiskDecision | null> {
    return this.decisions.find(subject, manager);
  }

  /** The feature snapshot stored with a recorded decision (what the rules saw). */
  async getDecisionFeatures(subject: SubjectRef): Promise<FeatureSnapshot | null> {
    const [row] = await this.db.query(`SELECT features FROM risk_decisions WHERE subject_type = $1 AND subject_id = $2`, [subject.type, subject.id]);
    return row ? (row.features as FeatureSnapshot) : null;
  }

  /** Parses and type-checks a rule expression; throws InvalidExpression (a ValidationFailed, 400) with the position. */
  validateExpression(expression: string): { references: string[] } {
    return validateExpression(expression);
  }

  createRule(key: string, draft: RuleDraft, author: string, options: ObserveOptions = {}): Promise<Rule> {
    return this.rules.create(key, draft, author, options.manager);
  }

  /** Saves a new immutable version and makes it live; the previous versions stay. */
  updateRule(ruleIdOrKey: string, draft: RuleDraft, author: string, options: ObserveOptions = {}): Promise<Rule> {
    return this.rules.update(ruleIdOrKey, draft, author, options.manager);
  }

  getRule(ruleIdOrKey: string): Promise<Rule> {
    return this.rules.get(ruleIdOrKey);
  }

  listRules(): Promise<Rule[]> {
    return this.rules.list();
  }

  listRuleVersions(ruleIdOrKey: string): Promise<RuleVersion[]> {
    return this.rules.versions(ruleIdOrKey);
  }

  /** Creates the default pack's rules that do not exist yet (never overwrites a tuned rule). */
  async seedDefaultRules(author = 'system'): Promise<{ created: string[] }> {
    const existing = new Set((await this.rules.list()).map((r) => r.key));
    const created: string[] = [];
    for (const rule of DEFAULT_RULES) {
      if (existing.has(rule.key)) continue;
      try {
        await this.rules.create(rule.key, rule.draft, author);
        created.push(rule.key);
      } catch (error) {
        if (!(error instanceof Conflict)) throw error; // another process seeded it meanwhile
      }
    }
    return { created };
  }

  addListEntry(entry: NewListEntry, options: ObserveOptions = {}): Promise<ListEntry> {
    return this.lists.add(entry, options.manager);
  }

  removeListEntry(id: string, removal: { by: string; reason: string }, options: ObserveOptions = {}): Promise<ListEntry> {
    return this.lists.remove(id, removal, options.manager);
  }

  getListEntry(id: string): Promise<ListEntry> {
    return this.lists.get(id);
  }

  findListEntries(filter: { list?: ListName; kind?: ListKind; value?: string; active?: boolean; limit?: number; offset?: number } = {}): Promise<ListEntry[]> {
    return this.lists.find(filter);
  }

  /** Replays a draft expression over recorded evaluations in [from, to) against known outcomes. */
  backtest(request: BacktestRequest): Promise<BacktestResult> {
    return runBacktest(this.db, request);
  }

  /**
   * Records a known outcome of an evaluated recharge or gift (chargebacks, reviews, refunds and
   * account-takeover reports call this). Fraud outcomes also feed the prior-fraud features.
   */
  recordOutcome(subject: SubjectRef, outcome: RiskOutcome, options: RecordOutcomeOptions = {}): Promise<{ recorded: boolean }> {
    return this.outcomes.record(subject, outcome, options);
  }

  /** Reloads every feature and list of the retention period from PostgreSQL into Redis. */
  async rebuildFeatures(): Promise<{ events: number }> {
    return { events: await this.features.rebuildAll() };
  }

  /** Waits for background work and stops listening to the data source. Does not close Redis or PostgreSQL. */
  async close(): Promise<void> {
    await this.features.idle();
    this.afterCommit.detach();
  }
}
