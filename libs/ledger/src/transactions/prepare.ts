import { DomainError, NotFound, ValidationFailed } from '@coinops/contracts';
import type { AccountSpec } from '../accounts/account-codes';
import { MAX_POSTING_AMOUNT } from '../money/amount';
import { bodyHash, canonicalJson, sha256Hex } from './body-hash';
import { LedgerCommand, LIMITS, PostAmounts, TRANSACTION_TYPES, TransactionType } from './types';

/** A command checked for shape and hashed, before anything is read from the database. */
export type PreparedCommand =
  | {
      readonly op: 'transfer';
      readonly key: string;
      readonly hash: string;
      readonly type: TransactionType;
      readonly phase: 'single' | 'pending';
      readonly legs: readonly { readonly account: AccountSpec; readonly amount: bigint }[];
      readonly metadata: Readonly<Record<string, unknown>>;
      readonly metadataJson: string;
      readonly referenceType: string | null;
      readonly referenceId: string | null;
      readonly reason: string | null;
    }
  | {
      readonly op: 'post_pending';
      readonly key: string;
      readonly hash: string;
      readonly pendingId: bigint;
      readonly amounts: ReadonlyMap<string, bigint> | null;
      readonly metadata: Readonly<Record<string, unknown>>;
      readonly metadataJson: string;
    }
  | { readonly op: 'void_pending'; readonly key: string; readonly hash: string; readonly pendingId: bigint; readonly reason: string | null }
  | {
      readonly op: 'reverse';
      readonly key: string;
      readonly hash: string;
      readonly transactionId: bigint;
      readonly reason: string;
      readonly type: TransactionType;
    };

const TRANSACTION_ID = /^[1-9][0-9]{0,18}$/;
const REFERENCE_TYPE = /^[a-z][a-z_]{0,39}$/;

/** Parses an opaque transaction id; one that cannot exist is simply not found. */
export function parseTransactionId(id: string): bigint {
  if (typeof id !== 'string' || !TRANSACTION_ID.test(id)) throw new NotFound('ledger transaction', String(id));
  return BigInt(id);
}

function key(value: string): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > LIMITS.idempotencyKeyLength) {
    throw ValidationFailed.field('idempotency_key', `must be 1-${LIMITS.idempotencyKeyLength} characters`);
  }
  return value;
}

function type(value: string): TransactionType {
  if (!(TRANSACTION_TYPES as readonly string[]).includes(value)) {
    throw ValidationFailed.field('type', `must be one of ${TRANSACTION_TYPES.join(', ')}`);
  }
  return value as TransactionType;
}

function reason(value: string | undefined, required: boolean): string | null {
  if (value === undefined || value === '') {
    if (required) throw ValidationFailed.field('reason', 'is required');
    return null;
  }
  if (typeof value !== 'string' || value.length > LIMITS.reasonLength) {
    throw ValidationFailed.field('reason', `must be at most ${LIMITS.reasonLength} characters`);
  }
  return value;
}

function metadata(value: Readonly<Record<string, unknown>> | undefined): string {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw ValidationFailed.field('metadata', 'must be an object');
  }
  if (value === undefined) return '{}';
  const json = canonicalJson(value);
  if (Buffer.byteLength(json) > LIMITS.metadataBytes) {
    throw ValidationFailed.field('metadata', `must be at most ${LIMITS.metadataBytes} bytes of JSON`);
  }
  return json;
}

function amount(value: bigint, field: string): bigint {
  if (typeof value !== 'bigint') throw ValidationFailed.field(field, 'must be a bigint');
  if (value > MAX_POSTING_AMOUNT || -value > MAX_POSTING_AMOUNT) {
    throw ValidationFailed.field(field, `must be at most ${MAX_POSTING_AMOUNT} in absolute value`);
  }
  return value;
}

/** Each asset's amounts sum to zero: nothing is created or lost. */
export function assertBalanced(legs: readonly { asset: string; amount: bigint }[]): void {
  const sums = new Map<string, bigint>();
  for (const leg of legs) sums.set(leg.asset, (sums.get(leg.asset) ?? 0n) + leg.amount);
  for (const [asset, sum] of sums) {
    if (sum !== 0n) throw ValidationFailed.field('postings', `${asset} postings sum to ${sum}, not zero`);
  }
}

function prepareTransfer(command: Extract<LedgerCommand, { op: 'transfer' }>): PreparedCommand {
  const input = command.input;
  const postings = input.postings;
  if (!Array.isArray(postings) || postings.length < 2 || postings.length > LIMITS.postingsPerTransaction) {
    throw ValidationFailed.field('postings', `must be 2-${LIMITS.postingsPerTransaction} postings`);
  }
  // One pass on the hot path: check each leg, sum per asset, and write the leg's line of the body hash.
  const sums = new Map<string, bigint>();
  const lines: string[] = [];
  for (let index = 0; index < postings.length; index += 1) {
    const { account, amount: value } = postings[index];
    if (amount(value, 'postings.amount') === 0n) throw ValidationFailed.field(`postings[${index}].amount`, 'must not be zero');
    for (let other = 0; other < index; other += 1) {
      if (postings[other].account.code === account.code) throw ValidationFailed.field(`postings[${index}].account`, `${account.code} appears twice`);
    }
    sums.set(account.asset, (sums.get(account.asset) ?? 0n) + value);
    lines.push(`${account.code} ${account.asset} ${value}`);
  }
  for (const [asset, sum] of sums) {
    if (sum !== 0n) throw ValidationFailed.field('postings', `${asset} postings sum to ${sum}, not zero`);
  }
  const reference = input.reference ?? null;
  if (reference && (!REFERENCE_TYPE.test(reference.type) || typeof reference.id !== 'string' || reference.id.length < 1 || reference.id.length > 100)) {
    throw ValidationFailed.field('reference', 'type must be snake_case (1-40), id 1-100 characters');
  }
  const transactionType = type(input.type);
  const phase = input.pending ? ('pending' as const) : ('single' as const);
  const metadataJson = metadata(input.metadata);
  const referenceType = reference?.type ?? null;
  const referenceId = reference?.id ?? null;
  const transferReason = reason(input.reason, false);
  // The body as one unambiguous line per field (codes have no spaces; free text is JSON-quoted), hashed:
  // cheaper than canonical JSON on the hot path, equally sensitive to any change. Legs are sorted, so
  // their order does not matter.
  const hash = sha256Hex(
    `transfer\n${transactionType}\n${phase}\n${lines.sort().join('\n')}\n${metadataJson}\n${JSON.stringify([referenceType, referenceId, transferReason])}`,
  );
  return {
    op: 'transfer', key: key(input.idempotencyKey), hash, type: transactionType, phase, legs: postings, metadata: input.metadata ?? {},
    metadataJson, referenceType, referenceId, reason: transferReason,
  };
}

function postAmounts(amounts: PostAmounts | undefined): ReadonlyMap<string, bigint> | null {
  if (amounts === undefined) return null;
  const entries = Object.entries(amounts);
  if (entries.length > LIMITS.postingsPerTransaction) throw ValidationFailed.field('amounts', 'too many accounts');
  return new Map(entries.map(([code, value]) => [code, amount(value, `amounts.${code}`)]));
}

/** Checks one command; a DomainError here is that command's result, the rest of the batch goes on. */
export function prepareCommand(command: LedgerCommand): PreparedCommand {
  switch (command.op) {
    case 'transfer':
      return prepareTransfer(command);
    case 'post_pending': {
      const amounts = postAmounts(command.amounts);
      const metadataJson = metadata(command.metadata);
      const pendingId = parseTransactionId(command.pendingId);
      const hash = bodyHash({ op: command.op, pendingId, amounts: amounts ? [...amounts].sort() : null, metadata: metadataJson });
      return { op: command.op, key: key(command.idempotencyKey), hash, pendingId, amounts, metadata: command.metadata ?? {}, metadataJson };
    }
    case 'void_pending': {
      const pendingId = parseTransactionId(command.pendingId);
      const voidReason = reason(command.reason, false);
      return { op: command.op, key: key(command.idempotencyKey), hash: bodyHash({ op: command.op, pendingId, reason: voidReason }), pendingId, reason: voidReason };
    }
    case 'reverse': {
      const transactionId = parseTransactionId(command.transactionId);
      const reversalReason = reason(command.reason, true) as string;
      const reversalType = type(command.type ?? 'reversal');
      const hash = bodyHash({ op: command.op, transactionId, reason: reversalReason, type: reversalType });
      return { op: command.op, key: key(command.idempotencyKey), hash, transactionId, reason: reversalReason, type: reversalType };
    }
    default:
      throw ValidationFailed.field('op', `unknown ledger operation ${(command as { op: string }).op}`);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
