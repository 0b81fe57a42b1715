import { ValidationFailed } from '@coinops/contracts';
import { systemActor } from '@coinops/access';
import { loadConfig } from '@coinops/config';
import { Ledger } from '@coinops/ledger';
import { cancelPayoutFromEvent, payoutSettings, rechargeIntakeFromPlatformEvent, rechargeIntakeProblems, recordRecharge, requestPayoutIn, type PayoutDeps } from '@coinops/payments';
import type { RiskEngine } from '@coinops/risk';
import type { DataSource } from 'typeorm';
import { applyCreatorProfile } from '../creators/creators';
import type { GiftPoster } from '../gifts/gift-poster';
import { applyUserProfile } from '../users/users';
import { STORED_EVENT_TYPES, type PlatformEvent } from './event-schemas';
import { insertEvents, storedReplies, type EventReply } from './event-store';

/**
 * What `POST /api/events` does with a checked, signed event (DESIGN §7): each event id acts once and
 * always gets the same answer. Gifts post synchronously through the GiftPoster (so a 409 can be
 * answered); profile events update users and creators; the types of later flows are stored (202).
 */
export class PlatformEventsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gifts: GiftPoster,
    /** Observes security changes for the risk features ("a recharge soon after a security change"). */
    private readonly risk: Pick<RiskEngine, 'observe'> | null = null,
  ) {}

  private payouts: PayoutDeps | null = null;

  /** The payout flow's ledger and settings (PAYOUT_* configuration), built on the first payout event. */
  private payoutDeps(): PayoutDeps {
    return (this.payouts ??= { ledger: new Ledger(this.dataSource), settings: payoutSettings(loadConfig()) });
  }

  receive(event: PlatformEvent): Promise<EventReply> {
    if (event.type === 'gift.sent') return this.gifts.submit(event);
    return this.record(event);
  }

  /** One transaction: the event row first (a concurrent duplicate waits on it), then its effect. */
  private async record(event: Exclude<PlatformEvent, { type: 'gift.sent' }>): Promise<EventReply> {
    const stored = STORED_EVENT_TYPES.includes(event.type);
    const status = stored ? ('stored' as const) : ('processed' as const);
    const reply = { status: stored ? 202 : 200, body: { id: event.id, type: event.type, status } };
    const inserted = await this.dataSource.transaction(async (manager) => {
      const ids = await insertEvents(manager, [{ event, status, reply }]);
      if (!ids.has(event.id)) return false;
      switch (event.type) {
        case 'user.created':
        case 'user.updated':
          await applyUserProfile(manager, event.data, event.occurredAt, event.type === 'user.created');
          break;
        case 'creator.created':
        case 'creator.kyc_updated':
          await applyCreatorProfile(manager, event.data, event.occurredAt);
          break;
        case 'recharge.succeeded': {
          // App-store, PayPal and other non-Stripe recharges: the same intake as a Stripe charge, so the
          // worker evaluates them the same way. A value the recharges table refuses is the caller's 400.
          const intake = rechargeIntakeFromPlatformEvent(event.id, event.occurredAt, event.data);
          const problems = rechargeIntakeProblems(intake);
          if (problems.length) throw new ValidationFailed(problems.map((p) => ({ field: `data.${p.field}`, message: p.message })));
          await recordRecharge(manager, intake);
          break;
        }
        case 'account.security_changed':
          // In the event's transaction: the observation exists if and only if the event was accepted.
          await this.risk?.observe(
            { kind: 'security_change', id: event.id, userId: event.data.user_id, change: event.data.change, deviceId: event.data.device_id, ip: event.data.ip, occurredAt: event.occurredAt },
            { manager },
          );
          break;
        case 'payout.requested':
          // The payout flow (docs/payouts.md): diamonds reserved and holds evaluated in the event's transaction.
          await requestPayoutIn(manager, this.payoutDeps(), systemActor('platform-events', event.id), {
            payoutId: event.data.payout_id, creatorId: event.data.creator_id, diamonds: event.data.diamonds, method: event.data.method, via: 'platform',
          });
          break;
        case 'payout.canceled':
          await cancelPayoutFromEvent(manager, this.payoutDeps().ledger, systemActor('platform-events', event.id), event.data);
          break;
      }
      return true;
    });
    if (inserted) return { ...reply, replayed: false };
    return (await storedReplies(this.dataSource, [event])).get(event.id) as EventReply;
  }
}
