import type { DomainError } from '@coinops/contracts';
import type { AccountSpec } from '../accounts/account-codes';
import type { Asset } from '../money/assets';

/** Business meaning of a transaction (DESIGN §3). Later work adds types here and nowhere else. */
export const TRANSACTION_TYPES = [
  'recharge', 'gift', 'refund', 'chargeback', 'chargeback_reversal', 'payout', 'adjustment', 'reversal',
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** Only a chargeback's clawback may take a `forbid` account below zero (a visible debt). */
export const DEBT_ALLOWED_TYPES: ReadonlySet<string> = new Set<TransactionType>(['chargeback']);

export type TransactionPhase = 'single' | 'pending' | 'post' | 'void';
export type PostingKind = 'posted' | 'hold' | 'release';
/** A pending transaction is `pending` until posted or voided; every other transaction is final. */
export type TransactionState = 'posted' | 'pending' | 'voided';

export const LIMITS = Object.freeze({
  idempotencyKeyLength: 200,
  postingsPerTransaction: 16,
  metadataBytes: 4096,
  reasonLength: 500,
  commandsPerBatch: 1000,
  /** Attempts of one batch after a race with a concurrent duplicate or a deadlock. */
  attemptsPerBatch: 3,
});

/** One leg: a signed amount (debit negative, credit positive) of the account's asset. */
export interface PostingInput {
  readonly account: AccountSpec;
  readonly amount: bigint;
}

export interface Reference {
  readonly type: string;
  readonly id: string;
}

export interface TransactionInput {
  readonly idempotencyKey: string;
  readonly type: TransactionType;
  /** A hold: reserves the debits (available = posted − pending debits) until posted or voided. */
  readonly pending?: boolean;
  readonly postings: readonly PostingInput[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly reference?: Reference;
  readonly reason?: string;
}

/** Posting a hold for less than held: per logical account code, the signed amount to post (0n posts nothing). */
export type PostAmounts = Readonly<Record<string, bigint>>;

export type LedgerCommand =
  | { readonly op: 'transfer'; readonly input: TransactionInput }
  | {
      readonly op: 'post_pending';
      readonly idempotencyKey: string;
      readonly pendingId: string;
      readonly amounts?: PostAmounts;
      readonly metadata?: Readonly<Record<string, unknown>>;
    }
  | { readonly op: 'void_pending'; readonly idempotencyKey: string; readonly pendingId: string; readonly reason?: string }
  | {
      readonly op: 'reverse';
      readonly idempotencyKey: string;
      readonly transactionId: string;
      readonly reason: string;
      readonly type?: TransactionType;
    };

export interface LedgerPosting {
  readonly id: string;
  readonly accountCode: string;
  readonly asset: Asset;
  readonly kind: PostingKind;
  readonly amount: bigint;
  /** The account's posted balance just after this posting. */
  readonly runningBalance: bigint;
}

export interface LedgerTransaction {
  /** Opaque on the wire; a bigint identity inside. */
  readonly id: string;
  readonly idempotencyKey: string;
  readonly type: string;
  readonly phase: TransactionPhase;
  readonly state: TransactionState;
  readonly pendingId: string | null;
  readonly reversesId: string | null;
  readonly reason: string | null;
  readonly reference: Reference | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  readonly postings: readonly LedgerPosting[];
}

export type BatchResult =
  | { readonly ok: true; readonly transaction: LedgerTransaction; readonly replayed: boolean }
  | { readonly ok: false; readonly error: DomainError };
