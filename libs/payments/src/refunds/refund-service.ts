import type { Actor } from '@coinops/access';
import { NotFound } from '@coinops/contracts';
import type { ListQuery } from '@coinops/db';
import { rechargeCoinUsage, type Ledger } from '@coinops/ledger';
import type { DataSource } from 'typeorm';
import { approveRefund, rejectRefund, retryRefund } from './refund-decisions';
import { CLAIMING_STATES, RESERVING_STATES, sumAmounts, sumCoins } from './refund-amounts';
import { getRefund, listRefunds, type RefundDto, type RefundRow } from './refund-records';
import { COIN_ATTRIBUTION_RULE, requestRefund, type RefundRequestInput } from './refund-request';
import type { RefundSettings } from './refund-settings';

export interface RefundAttemptDto {
  attempt: number;
  idempotency_key: string;
  outcome: string;
  provider_refund_id: string | null;
  error: string | null;
  created_at: string;
}

export interface RefundableDto {
  recharge_id: string;
  state: string;
  currency: string;
  amount: string;
  /** Cash not refunded and not claimed by a refund under way: the most a new refund may ask. */
  refundable_amount: string;
  coins: string;
  unspent_coins: string;
  spent_coins: string;
  refunded_coins: string;
  reserved_coins: string;
  threshold_usd: string;
  rule: string;
}

/** Refunds over HTTP (docs/refunds.md): each command one transaction with its ledger entry, audit and outbox rows. */
export class RefundService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly settings: RefundSettings,
  ) {}

  list(list: ListQuery) {
    return listRefunds(this.dataSource, list);
  }

  async get(id: string): Promise<RefundDto & { attempts: RefundAttemptDto[] }> {
    const refund = await getRefund(this.dataSource, id);
    const attempts: Array<Omit<RefundAttemptDto, 'created_at'> & { created_at: Date }> = await this.dataSource.query(
      `SELECT attempt, idempotency_key, outcome, provider_refund_id, error, created_at FROM refund_attempts WHERE refund_id = $1 ORDER BY id LIMIT 100`,
      [id],
    );
    return { ...refund, attempts: attempts.map((a) => ({ ...a, created_at: a.created_at.toISOString() })) };
  }

  /** What a new refund of this recharge may take: the cash left, and the recharge's coins by the attribution rule. */
  async refundable(rechargeId: string): Promise<RefundableDto> {
    const [recharge]: Array<{ id: string; state: string; currency: string; amount_minor: string; coins: string }> = await this.dataSource.query(
      `SELECT id, state, currency, amount_minor::text, coins::text FROM recharges WHERE id = $1`,
      [rechargeId],
    );
    if (!recharge) throw new NotFound('recharge', rechargeId);
    const refunds: RefundRow[] = await this.dataSource.query(`SELECT * FROM refunds WHERE recharge_id = $1 LIMIT 1000`, [rechargeId]);
    const usage = await rechargeCoinUsage(this.dataSource, rechargeId);
    const reserved = sumCoins(refunds, RESERVING_STATES);
    // The attribution already counts the coins reserved by this recharge's refunds in flight as taken.
    const unspent = recharge.state === 'credited' ? usage.unspentCoins : 0n;
    const refundable = ['credited', 'blocked_pending_refund'].includes(recharge.state) ? BigInt(recharge.amount_minor) - sumAmounts(refunds, CLAIMING_STATES) : 0n;
    return {
      recharge_id: rechargeId,
      state: recharge.state,
      currency: recharge.currency.trim(),
      amount: recharge.amount_minor,
      refundable_amount: (refundable > 0n ? refundable : 0n).toString(),
      coins: recharge.coins,
      unspent_coins: unspent.toString(),
      spent_coins: usage.spentCoins.toString(),
      refunded_coins: usage.refundedCoins.toString(),
      reserved_coins: reserved.toString(),
      threshold_usd: this.settings.approvalThresholdUsdMinor.toString(),
      rule: COIN_ATTRIBUTION_RULE,
    };
  }

  async request(actor: Actor, input: RefundRequestInput): Promise<RefundDto> {
    const id = await this.dataSource.transaction((manager) => requestRefund(manager, { ledger: this.ledger, settings: this.settings }, actor, input));
    return getRefund(this.dataSource, id);
  }

  async approve(actor: Actor, id: string, reason: string, overrideReason: string | null): Promise<RefundDto> {
    await this.dataSource.transaction((manager) => approveRefund(manager, actor, id, reason, overrideReason));
    return getRefund(this.dataSource, id);
  }

  async reject(actor: Actor, id: string, reason: string): Promise<RefundDto> {
    await this.dataSource.transaction((manager) => rejectRefund(manager, { ledger: this.ledger }, actor, id, reason));
    return getRefund(this.dataSource, id);
  }

  async retry(actor: Actor, id: string, reason: string | null): Promise<RefundDto> {
    await this.dataSource.transaction((manager) => retryRefund(manager, actor, id, reason));
    return getRefund(this.dataSource, id);
  }
}
