import type { DataSource, EntityManager } from 'typeorm';
import { ValidationFailed } from '@coinops/contracts';
import type { EventLog } from '../events/event-log';
import type { StoredEvent } from '../events/stored-event';
import { RISK_OUTCOMES, RiskOutcome, SubjectRef } from '../types';

/** Outcomes that also become observations: the card, device and user count them as prior fraud. */
const OBSERVED_OUTCOMES: Partial<Record<RiskOutcome, StoredEvent['kind']>> = {
  chargeback: 'chargeback',
  refund_fraud: 'refund_fraud',
  account_takeover: 'account_takeover',
};

export interface RecordOutcomeOptions {
  manager?: EntityManager;
  note?: string;
  /** Operator id, or the flow (`chargebacks`, `reviews` ...). */
  recordedBy?: string;
  /** When the outcome became known (default now); its observation counts from then. */
  occurredAt?: Date;
}

/** Known outcomes of evaluated events: backtest labels, and prior-fraud features for what comes next. */
export class OutcomeStore {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventLog,
  ) {}

  /** Records an outcome once per subject and kind; returns whether this call recorded it. */
  async record(subject: SubjectRef, outcome: RiskOutcome, options: RecordOutcomeOptions = {}): Promise<{ recorded: boolean }> {
    if (subject?.type !== 'recharge' && subject?.type !== 'gift') throw ValidationFailed.field('subject_type', 'must be recharge or gift');
    if (typeof subject.id !== 'string' || subject.id.length < 1 || subject.id.length > 200 || subject.id.includes('|')) {
      throw ValidationFailed.field('subject_id', 'must be 1-200 characters, without "|"');
    }
    if (!RISK_OUTCOMES.includes(outcome)) throw ValidationFailed.field('outcome', `must be one of ${RISK_OUTCOMES.join(', ')}`);
    if (options.note !== undefined && options.note.length > 1000) throw ValidationFailed.field('note', 'must be at most 1000 characters');
    const runner = options.manager ?? this.db.manager;
    const inserted = await runner.query(
      `INSERT INTO risk_outcomes (subject_type, subject_id, outcome, note, recorded_by) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (subject_type, subject_id, outcome) DO NOTHING RETURNING id`,
      [subject.type, subject.id, outcome, options.note ?? null, options.recordedBy ?? null],
    );
    const observedKind = OBSERVED_OUTCOMES[outcome];
    if (observedKind) {
      const original = await this.events.find(subject.type, subject.id, options.manager);
      if (original) {
        await this.events.append(
          {
            ...original,
            kind: observedKind,
            occurredAt: options.occurredAt ?? new Date(),
            amountMinor: null,
            currency: null,
            coins: null,
            creatorId: null,
            senderYoung: null,
            detail: null,
          },
          options.manager,
        );
      }
    }
    return { recorded: inserted.length > 0 };
  }
}
