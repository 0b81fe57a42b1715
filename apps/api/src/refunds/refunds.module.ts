import { CONFIG, type Config } from '@coinops/config';
import { Ledger } from '@coinops/ledger';
import { AdjustmentService, adjustmentSettingsFromConfig, RefundService, refundSettingsFromConfig } from '@coinops/payments';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdjustmentsController } from '../adjustments/adjustments.controller';
import { RefundsController } from './refunds.controller';

/** Refunds and adjustments over HTTP (docs/refunds.md), on the process's one Ledger (EconomyModule, global). */
@Module({
  controllers: [RefundsController, AdjustmentsController],
  providers: [
    {
      provide: RefundService,
      inject: [DataSource, Ledger, CONFIG],
      useFactory: (dataSource: DataSource, ledger: Ledger, config: Config) => new RefundService(dataSource, ledger, refundSettingsFromConfig(config)),
    },
    {
      provide: AdjustmentService,
      inject: [DataSource, Ledger, CONFIG],
      useFactory: (dataSource: DataSource, ledger: Ledger, config: Config) => new AdjustmentService(dataSource, { ledger, settings: adjustmentSettingsFromConfig(config) }),
    },
  ],
})
export class RefundsModule {}
