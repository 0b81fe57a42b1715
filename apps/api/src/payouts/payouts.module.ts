import { CONFIG, type Config } from '@coinops/config';
import { Ledger } from '@coinops/ledger';
import { payoutSettings, PayoutService } from '@coinops/payments';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreatorPayoutsController } from './creator-payouts.controller';
import { PayoutBatchesController } from './payout-batches.controller';
import { PayoutsController } from './payouts.controller';

/** Creator payouts over HTTP (docs/payouts.md), on the process's one Ledger (EconomyModule, global). */
@Module({
  controllers: [PayoutsController, PayoutBatchesController, CreatorPayoutsController],
  providers: [
    {
      provide: PayoutService,
      inject: [DataSource, Ledger, CONFIG],
      useFactory: (dataSource: DataSource, ledger: Ledger, config: Config) => new PayoutService(dataSource, { ledger, settings: payoutSettings(config) }),
    },
  ],
})
export class PayoutsModule {}
