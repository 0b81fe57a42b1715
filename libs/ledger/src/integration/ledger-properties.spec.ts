import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { platformCoinsIssued, userCoins } from '../accounts/account-codes';
import { LedgerBatcher } from '../batcher';
import { buildGift } from '../domain/gifts';
import { buildRechargeCredit, buildRechargeHold, RechargeEntry } from '../domain/recharges';
import { Ledger } from '../ledger';
import { BatchResult, LedgerCommand } from '../transactions/types';
import { verifyLedger } from '../verify/verify-ledger';
import { openLedger, uniqueId } from './harness';

/**
 * Random sequences of recharge / hold / gift / post / void / reverse, run as concurrent lanes against
 * PostgreSQL, then replayed with the same keys. After each: every invariant of verifyLedger holds, and
 * the replay changed nothing and answered every operation as the first time.
 */
type Op =
  | { kind: 'recharge' | 'hold'; user: number; coins: number }
  | { kind: 'gift'; user: number; creator: number; coins: number }
  | { kind: 'post'; ref: number; partial: boolean }
  | { kind: 'void' | 'reverse'; ref: number };

const user = fc.nat({ max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('recharge' as const), user, coins: fc.integer({ min: 1, max: 50 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hold' as const), user, coins: fc.integer({ min: 1, max: 50 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('gift' as const), user, creator: fc.nat({ max: 1 }), coins: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('post' as const), ref: fc.nat(), partial: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), ref: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), ref: fc.nat() }) },
);
const scenario = fc.record({
  lanes: fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 3 }),
  batched: fc.boolean(),
});

/** What an operation answered: the transaction it made or replayed, or the error's class. */
type Outcome = string;

describe('ledger properties under concurrent random operations', () => {
  let dataSource: DataSource;
  let ledger: Ledger;
  beforeAll(async () => ({ dataSource, ledger } = await openLedger({ poolSize: 8 })));
  afterAll(() => dataSource.destroy());

  it('keeps every invariant, and a replay with the same keys changes nothing (200 random sequences)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ lanes, batched }) => {
        const prefix = uniqueId('p');
        const batcher = batched ? new LedgerBatcher(ledger, { maxBatchSize: 8, maxWaitMs: 1, maxConcurrentBatches: 2 }) : null;
        const submit = async (command: LedgerCommand): Promise<BatchResult> =>
          batcher ? batcher.submit(command) : (await ledger.postBatch([command]))[0];

        const first = await Promise.all(lanes.map((ops, lane) => runLane(prefix, lane, ops, submit)));
        const report = await verifyLedger(dataSource);
        expect(report.violations).toEqual([]);
        const before = await snapshot(dataSource, prefix);
        for (const account of before.accounts) if (account.code.startsWith('user:')) expect(BigInt(account.posted) >= BigInt(account.pending_debits)).toBe(true);

        const replay = await Promise.all(lanes.map((ops, lane) => runLane(prefix, lane, ops, submit)));
        expect(replay).toEqual(first);
        expect(await snapshot(dataSource, prefix)).toEqual(before);
      }),
      { numRuns: 200 },
    );
    expect((await verifyLedger(dataSource)).ok).toBe(true);
    expect(ledger.stats().retriedDeadlocks).toBe(0);
  });
});

async function runLane(prefix: string, lane: number, ops: readonly Op[], submit: (c: LedgerCommand) => Promise<BatchResult>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const transactionIds: (string | null)[] = [];
  for (const [index, current] of ops.entries()) {
    const key = `${prefix}:${lane}:${index}`;
    const command = commandFor(prefix, key, current, index, ops, transactionIds);
    if (!command) {
      outcomes.push('skipped');
      transactionIds.push(null);
      continue;
    }
    const result = await submit(command);
    outcomes.push(result.ok ? `ok:${result.transaction.id}` : result.error.name);
    transactionIds.push(result.ok ? result.transaction.id : null);
  }
  return outcomes;
}

/** Builds an operation's command; one naming an earlier operation of its lane that made nothing is skipped. */
function commandFor(prefix: string, key: string, current: Op, index: number, ops: readonly Op[], transactionIds: readonly (string | null)[]): LedgerCommand | null {
  const entry = (userIndex: number, coins: number): RechargeEntry => ({
    rechargeId: key.replace(/:/g, '_'), userId: `${prefix}_u${userIndex}`, coins: BigInt(coins), amountMinor: BigInt(coins * 3), currency: 'USD', provider: 'stripe',
  });
  switch (current.kind) {
    case 'recharge':
      return { op: 'transfer', input: buildRechargeCredit(entry(current.user, current.coins)) };
    case 'hold':
      return { op: 'transfer', input: buildRechargeHold(entry(current.user, current.coins)) };
    case 'gift':
      return { op: 'transfer', input: buildGift({ giftId: key.replace(/:/g, '_'), senderId: `${prefix}_u${current.user}`, creatorId: `${prefix}_c${current.creator}`, coins: BigInt(current.coins) }) };
    default: {
      if (index === 0) return null;
      const targetIndex = current.ref % index;
      const targetId = transactionIds[targetIndex];
      if (!targetId) return null;
      if (current.kind === 'void') return { op: 'void_pending', idempotencyKey: key, pendingId: targetId, reason: 'rejected' };
      if (current.kind === 'reverse') return { op: 'reverse', idempotencyKey: key, transactionId: targetId, reason: 'refund' };
      if (current.kind !== 'post') return null;
      const target = ops[targetIndex];
      if (!current.partial || target.kind !== 'hold') return { op: 'post_pending', idempotencyKey: key, pendingId: targetId };
      const half = BigInt(Math.floor(target.coins / 2));
      return { op: 'post_pending', idempotencyKey: key, pendingId: targetId, amounts: { [userCoins(`${prefix}_u${target.user}`).code]: half, [platformCoinsIssued().code]: -half } };
    }
  }
}

async function snapshot(dataSource: DataSource, prefix: string) {
  const [accounts, [counts]] = await Promise.all([
    dataSource.query(`SELECT code, posted, pending_debits, pending_credits, version FROM ledger_accounts WHERE code LIKE $1 ORDER BY code`, [`%${prefix}%`]),
    dataSource.query(
      `SELECT (SELECT count(*) FROM ledger_transactions WHERE idempotency_key LIKE $1) AS transactions,
              (SELECT count(*) FROM ledger_rejections WHERE idempotency_key LIKE $1) AS rejections`,
      [`%${prefix}%`],
    ),
  ]);
  return { accounts: accounts as { code: string; posted: string; pending_debits: string }[], counts };
}
