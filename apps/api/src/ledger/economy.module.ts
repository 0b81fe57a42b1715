import { RiskEngine } from '@coinops/risk';
import { CreatorsService, GiftPoster, GiftsService, LedgerAccountsService, LedgerTransactionsService, loadEconomyConfig, PlatformEventsService, UsersService, type EconomyConfig } from '@coinops/economy';
import { Ledger } from '@coinops/ledger';
import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreatorsController } from '../creators/creators.controller';
import { EventsController } from '../events/events.controller';
import { GiftsController } from '../gifts/gifts.controller';
import { UsersController } from '../users/users.controller';
import { LedgerAccountsController } from './ledger-accounts.controller';
import { LedgerMetrics } from './ledger-metrics';
import { LedgerTransactionsController } from './ledger-transactions.controller';
import { LedgerVerifyController } from './ledger-verify.controller';
import { ECONOMY_CONFIG } from './ledger.tokens';

const service = <T>(type: new (dataSource: DataSource) => T) => ({ provide: type, inject: [DataSource], useFactory: (dataSource: DataSource) => new type(dataSource) });

/**
 * The economy over HTTP: signed platform events (gifts posted synchronously), users, creators, gifts,
 * and the ledger's read API and verification. Exports the one `Ledger` of the process (with the economy
 * configuration read at start-up) for the flows that post to it later (recharges, refunds, payouts).
 */
@Global()
@Module({
  controllers: [EventsController, UsersController, CreatorsController, GiftsController, LedgerAccountsController, LedgerTransactionsController, LedgerVerifyController],
  providers: [
    { provide: ECONOMY_CONFIG, inject: [DataSource], useFactory: (dataSource: DataSource) => loadEconomyConfig(dataSource) },
    { provide: Ledger, inject: [DataSource, ECONOMY_CONFIG], useFactory: (dataSource: DataSource, economy: EconomyConfig) => new Ledger(dataSource, { economy: economy.settings }) },
    // Up to 200 gifts per transaction, 4 transactions in flight: docs/economy.md, "Throughput".
    { provide: GiftPoster, inject: [DataSource, Ledger], useFactory: (dataSource: DataSource, ledger: Ledger) => new GiftPoster(dataSource, ledger) },
    {
      provide: PlatformEventsService,
      inject: [DataSource, GiftPoster, RiskEngine],
      useFactory: (dataSource: DataSource, gifts: GiftPoster, risk: RiskEngine) => new PlatformEventsService(dataSource, gifts, risk),
    },
    service(UsersService),
    service(CreatorsService),
    service(GiftsService),
    service(LedgerAccountsService),
    service(LedgerTransactionsService),
    LedgerMetrics,
  ],
  exports: [ECONOMY_CONFIG, Ledger, GiftPoster, UsersService, LedgerAccountsService, LedgerTransactionsService],
})
export class EconomyModule {}
