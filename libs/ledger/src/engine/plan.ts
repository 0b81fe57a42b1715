import { DomainError, IdempotencyConflict, IllegalTransition, NotFound, ValidationFailed } from '@coinops/contracts';
import { logicalCode } from '../accounts/account-codes';
import { InsufficientFunds } from '../errors';
import { assertBalanced, PreparedCommand } from '../transactions/prepare';
import { DEBT_ALLOWED_TYPES, PostingKind } from '../transactions/types';
import type { StoredTransaction } from './load';
import type { AccountInfo, AccountState, KnownKey, Resolutions } from './store';

/**
 * Decides every command of a batch, in order, against balances read under lock. Pure: no I/O, so each
 * rule can be read in one place. A refused command leaves the balances as they were for the next one.
 */

export interface PlannedLeg {
  readonly account: AccountState;
  readonly kind: PostingKind;
  readonly amount: bigint;
  readonly releasedId: string | null;
  runningBalance: bigint;
}

export interface PlannedTransaction {
  readonly key: string;
  readonly hash: string;
  readonly type: string;
  readonly phase: 'single' | 'pending' | 'post' | 'void';
  readonly pendingId: bigint | null;
  readonly reversesId: bigint | null;
  readonly reason: string | null;
  readonly referenceType: string | null;
  readonly referenceId: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly metadataJson: string;
  readonly legs: PlannedLeg[];
}

export type Decision =
  | { readonly kind: 'insert'; readonly transaction: PlannedTransaction }
  | { readonly kind: 'replay'; readonly transactionId: bigint }
  | { readonly kind: 'same_as'; readonly index: number }
  | { readonly kind: 'reject'; readonly key: string; readonly hash: string; readonly accountId: string; readonly error: InsufficientFunds }
  | { readonly kind: 'error'; readonly error: DomainError };

export interface PlanInput {
  readonly commands: readonly (PreparedCommand | DomainError)[];
  /** For each transfer, the account of each leg (a shard's, for a sharded account); null for other commands. */
  readonly legAccounts: readonly (readonly AccountInfo[] | null)[];
  /** Every account of the batch, locked, by id. */
  readonly accounts: ReadonlyMap<string, AccountState>;
  readonly known: ReadonlyMap<string, KnownKey>;
  readonly referenced: ReadonlyMap<bigint, StoredTransaction>;
  readonly resolutions: Resolutions;
}

export function plan(input: PlanInput): Decision[] {
  const seenKeys = new Map<string, { index: number; hash: string }>();
  const resolved = new Map(input.resolutions.resolved);
  const reversed = new Set(input.resolutions.reversed);
  const decisions: Decision[] = [];

  for (let index = 0; index < input.commands.length; index += 1) {
    const command = input.commands[index];
    if (command instanceof DomainError) {
      decisions.push({ kind: 'error', error: command });
      continue;
    }
    const earlier = seenKeys.get(command.key);
    if (earlier) {
      decisions.push(earlier.hash === command.hash ? { kind: 'same_as', index: earlier.index } : { kind: 'error', error: new IdempotencyConflict(command.key) });
      continue;
    }
    seenKeys.set(command.key, { index, hash: command.hash });
    const known = input.known.get(command.key);
    if (known) {
      decisions.push(replayOf(command, known));
      continue;
    }
    try {
      const transaction = build(command, input.legAccounts[index], input, resolved, reversed);
      const refusal = checkFunds(transaction);
      if (refusal) {
        decisions.push(refusal);
        continue;
      }
      apply(transaction);
      if (transaction.pendingId !== null) resolved.set(transaction.pendingId, transaction.phase as 'post' | 'void');
      if (transaction.reversesId !== null) reversed.add(transaction.reversesId);
      decisions.push({ kind: 'insert', transaction });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      decisions.push({ kind: 'error', error });
    }
  }
  return decisions;
}

function replayOf(command: PreparedCommand, known: KnownKey): Decision {
  if (known.hash !== command.hash) return { kind: 'error', error: new IdempotencyConflict(command.key) };
  if (known.source === 'transaction') return { kind: 'replay', transactionId: known.transactionId as bigint };
  // The first answer was a refusal for funds: the same body gets the same answer.
  return {
    kind: 'error',
    error: new InsufficientFunds(known.accountCode as string, known.asset as string, known.available as bigint, known.requested as bigint),
  };
}

function leg(account: AccountState, kind: PostingKind, amount: bigint, releasedId: string | null = null): PlannedLeg {
  return { account, kind, amount, releasedId, runningBalance: 0n };
}

function build(
  command: PreparedCommand,
  legAccounts: readonly AccountInfo[] | null,
  input: PlanInput,
  resolved: ReadonlyMap<bigint, 'post' | 'void'>,
  reversed: ReadonlySet<bigint>,
): PlannedTransaction {
  const accounts = input.accounts;
  switch (command.op) {
    case 'transfer': {
      const kind: PostingKind = command.phase === 'pending' ? 'hold' : 'posted';
      const legs: PlannedLeg[] = [];
      for (let i = 0; i < command.legs.length; i += 1) {
        legs.push(leg(accounts.get((legAccounts as AccountInfo[])[i].idText) as AccountState, kind, command.legs[i].amount));
      }
      return {
        key: command.key, hash: command.hash, type: command.type, phase: command.phase, pendingId: null, reversesId: null,
        reason: command.reason, referenceType: command.referenceType, referenceId: command.referenceId,
        metadata: command.metadata, metadataJson: command.metadataJson, legs,
      };
    }
    case 'post_pending':
    case 'void_pending': {
      const pending = pendingTransaction(command.pendingId, input.referenced, resolved, command.op === 'post_pending' ? 'post' : 'void');
      const holds = pending.postings.filter((p) => p.kind === 'hold');
      const legs = holds.map((h) => leg(accounts.get(h.account.idText) as AccountState, 'release', h.amount, h.id));
      const voiding = command.op === 'void_pending';
      if (!voiding) {
        for (const p of postedAmounts(holds, command.amounts)) legs.push(leg(accounts.get(p.account.idText) as AccountState, 'posted', p.amount));
      }
      return {
        key: command.key, hash: command.hash, type: pending.type, phase: voiding ? 'void' : 'post', pendingId: command.pendingId, reversesId: null,
        reason: voiding ? command.reason : null, ...referenceOf(pending),
        metadata: voiding ? {} : command.metadata, metadataJson: voiding ? '{}' : command.metadataJson, legs,
      };
    }
    case 'reverse': {
      const target = input.referenced.get(command.transactionId);
      if (!target) throw new NotFound('ledger transaction', command.transactionId.toString());
      if (target.phase === 'pending' || target.phase === 'void') {
        throw new IllegalTransition('ledger transaction', target.id, target.state, 'reverse');
      }
      if (reversed.has(command.transactionId)) throw new IllegalTransition('ledger transaction', target.id, 'reversed', 'reverse');
      const legs = target.postings.filter((p) => p.kind === 'posted').map((p) => leg(accounts.get(p.account.idText) as AccountState, 'posted', -p.amount));
      return {
        key: command.key, hash: command.hash, type: command.type, phase: 'single', pendingId: null, reversesId: command.transactionId,
        reason: command.reason, ...referenceOf(target), metadata: {}, metadataJson: '{}', legs,
      };
    }
  }
}

function referenceOf(transaction: StoredTransaction): { referenceType: string | null; referenceId: string | null } {
  return { referenceType: transaction.reference?.type ?? null, referenceId: transaction.reference?.id ?? null };
}

function pendingTransaction(id: bigint, referenced: ReadonlyMap<bigint, StoredTransaction>, resolved: ReadonlyMap<bigint, 'post' | 'void'>, action: 'post' | 'void'): StoredTransaction {
  const pending = referenced.get(id);
  if (!pending) throw new NotFound('ledger transaction', id.toString());
  if (pending.phase !== 'pending') throw new IllegalTransition('ledger transaction', pending.id, pending.state, action);
  const how = resolved.get(id);
  if (how) throw new IllegalTransition('ledger transaction', pending.id, how === 'post' ? 'posted' : 'voided', action);
  return pending;
}

/** Posting a hold: the full held amounts, or less per account (same direction); each asset still sums to zero. */
function postedAmounts(holds: StoredTransaction['postings'], amounts: ReadonlyMap<string, bigint> | null): { account: AccountInfo; amount: bigint }[] {
  const byLogicalCode = new Map(holds.map((h) => [logicalCode(h.accountCode), h]));
  for (const code of amounts?.keys() ?? []) {
    if (!byLogicalCode.has(code)) throw ValidationFailed.field(`amounts.${code}`, 'is not an account of this hold');
  }
  const posted: { account: AccountInfo; amount: bigint }[] = [];
  for (const hold of holds) {
    const amount = amounts?.get(logicalCode(hold.accountCode)) ?? hold.amount;
    const sameDirection = amount === 0n || (amount < 0n) === (hold.amount < 0n);
    if (!sameDirection || (amount < 0n ? -amount : amount) > (hold.amount < 0n ? -hold.amount : hold.amount)) {
      throw ValidationFailed.field(`amounts.${logicalCode(hold.accountCode)}`, `must be between 0 and the held ${hold.amount}`);
    }
    if (amount !== 0n) posted.push({ account: hold.account, amount });
  }
  assertBalanced(posted.map((p) => ({ asset: p.account.asset, amount: p.amount })));
  return posted;
}

/** Forbid-overdraft on the available balance: posted − pending debits, after this debit, stays >= 0. */
function checkFunds(transaction: PlannedTransaction): Decision | null {
  // Posting a hold moves what was already reserved; a chargeback's clawback may leave a visible debt.
  if (transaction.phase === 'post' || transaction.phase === 'void' || DEBT_ALLOWED_TYPES.has(transaction.type)) return null;
  for (const { account, amount } of transaction.legs) {
    if (amount >= 0n || account.overdraft !== 'forbid') continue;
    const available = account.posted - account.pendingDebits;
    if (available + amount < 0n) {
      return {
        kind: 'reject', key: transaction.key, hash: transaction.hash, accountId: account.idText,
        error: new InsufficientFunds(account.code, account.asset, available, -amount),
      };
    }
  }
  return null;
}

/** Moves the in-memory balances and stamps each leg with its account's running (posted) balance. */
function apply(transaction: PlannedTransaction): void {
  for (const planned of transaction.legs) {
    const account = planned.account;
    if (planned.kind === 'posted') account.posted += planned.amount;
    else if (planned.amount < 0n) account.pendingDebits += planned.kind === 'hold' ? -planned.amount : planned.amount;
    planned.runningBalance = account.posted;
  }
}
