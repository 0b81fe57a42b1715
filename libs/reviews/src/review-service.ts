import type { Actor } from '@coinops/access';
import { DomainError, type ReviewState } from '@coinops/contracts';
import type { ListQuery } from '@coinops/db';
import type { DataSource } from 'typeorm';
import { assignIn, checkReason, claimIn, escalateIn, unassignIn } from './decisions/assignment';
import { checkBulkIds, decideIn, type Decision, type DecisionDeps, type DecisionResult, type RejectExtras } from './decisions/decide';
import { reviewEvidence, userEvidence } from './evidence/evidence';
import { linkedGraph, type GraphOptions } from './graph/linked-graph';
import { rechargesOfReview, type ReviewRechargeDto } from './items/review-recharges';
import { getReview, listReviews, reviewCounts, type ReviewDto } from './items/review-query';
import { inTransaction } from './shared/transaction';
import { freezeAccounts } from './users/freeze-accounts';
import { addUserNote, listUserNotes } from './users/user-notes';

/** Items decided by one bulk request: each in its own transaction, so one refusal fails only itself. */
export const MAX_BULK_ITEMS = 100;

export type BulkItemResult =
  | { id: string; ok: true; state: ReviewState; recharges: DecisionResult['recharges'] }
  | { id: string; ok: false; status: number; error: string; message: string; state?: string };

export interface ReviewDetail extends ReviewDto {
  recharges: ReviewRechargeDto[];
}

/**
 * Trust and safety's review items (DESIGN §5, docs/reviews.md): the queue, claims and assignment,
 * decisions with their ledger entries, evidence, the linked-accounts graph, notes and freezes. Every
 * change is one transaction with its audit row (retried on a deadlock, see `inTransaction`).
 */
export class ReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deps: DecisionDeps,
  ) {}

  list(list: ListQuery) {
    return listReviews(this.dataSource, list);
  }

  get(id: string): Promise<ReviewDto> {
    return getReview(this.dataSource, id);
  }

  /** The item with each recharge and the risk decision that held it (rules and feature values). */
  async detail(id: string): Promise<ReviewDetail> {
    const review = await getReview(this.dataSource, id);
    return { ...review, recharges: await rechargesOfReview(this.dataSource, this.deps.risk, id) };
  }

  counts(operatorId: string | null) {
    return reviewCounts(this.dataSource, operatorId);
  }

  evidence(id: string) {
    return reviewEvidence(this.dataSource, id);
  }

  userEvidence(userId: string) {
    return userEvidence(this.dataSource, userId);
  }

  graph(userId: string, options: GraphOptions) {
    return linkedGraph(this.dataSource, userId, options);
  }

  async claim(actor: Actor, id: string): Promise<ReviewDto> {
    await inTransaction(this.dataSource, (manager) => claimIn(manager, actor, id));
    return this.get(id);
  }

  async unassign(actor: Actor, id: string, reason: string | null): Promise<ReviewDto> {
    await inTransaction(this.dataSource, (manager) => unassignIn(manager, actor, id, reason?.trim() || null));
    return this.get(id);
  }

  async assign(actor: Actor, id: string, operatorId: string, reason: string | null): Promise<ReviewDto> {
    await inTransaction(this.dataSource, (manager) => assignIn(manager, actor, id, operatorId, reason?.trim() || null));
    return this.get(id);
  }

  async escalate(actor: Actor, id: string, reason: string): Promise<ReviewDto> {
    const checked = checkReason(reason);
    await inTransaction(this.dataSource, (manager) => escalateIn(manager, actor, id, checked));
    return this.get(id);
  }

  async approve(actor: Actor, id: string, reason: string): Promise<DecisionResult & { review: ReviewDto }> {
    return this.decide(actor, id, 'approve', reason, {});
  }

  async reject(actor: Actor, id: string, reason: string, extras: RejectExtras): Promise<DecisionResult & { review: ReviewDto }> {
    return this.decide(actor, id, 'reject', reason, extras);
  }

  /**
   * Decides a selection, item by item: an unclaimed item is claimed for the caller first, an item
   * claimed by someone else or already decided is refused (its own 409) without stopping the others.
   */
  async bulk(actor: Actor, decision: Decision, ids: unknown, reason: string, extras: RejectExtras = {}): Promise<BulkItemResult[]> {
    const checked = checkReason(reason);
    const unique = checkBulkIds(ids, MAX_BULK_ITEMS);
    const results: BulkItemResult[] = [];
    for (const id of unique) {
      try {
        const result = await inTransaction(this.dataSource, (manager) => decideIn(manager, this.deps, actor, id, decision, checked, extras, true));
        results.push({ id, ok: true, state: result.state, recharges: result.recharges });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const state = typeof error.extra.state === 'string' ? error.extra.state : undefined;
        results.push({ id, ok: false, status: error.statusCode, error: error.name, message: error.message, ...(state ? { state } : {}) });
      }
    }
    return results;
  }

  notes(userId: string, list: ListQuery) {
    return listUserNotes(this.dataSource, userId, list);
  }

  addNote(actor: Actor, userId: string, body: string) {
    return addUserNote(this.dataSource, actor, userId, body);
  }

  freeze(actor: Actor, userId: string, reason: string) {
    return this.deps.users.freeze(actor, userId, checkReason(reason));
  }

  unfreeze(actor: Actor, userId: string, reason: string) {
    return this.deps.users.unfreeze(actor, userId, checkReason(reason));
  }

  /** Freezes a ring's accounts after review: one action, one reason, an audit row per account. */
  freezeMany(actor: Actor, userIds: unknown, reason: string) {
    return freezeAccounts(this.dataSource, this.deps.users, actor, userIds, checkReason(reason));
  }

  private async decide(actor: Actor, id: string, decision: Decision, reason: string, extras: RejectExtras): Promise<DecisionResult & { review: ReviewDto }> {
    const checked = checkReason(reason);
    const result = await inTransaction(this.dataSource, (manager) => decideIn(manager, this.deps, actor, id, decision, checked, extras));
    return { ...result, review: await this.get(id) };
  }
}
