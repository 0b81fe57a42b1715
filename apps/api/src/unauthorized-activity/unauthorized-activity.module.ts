import { CONFIG, type Config } from '@coinops/config';
import { UsersService } from '@coinops/economy';
import { Ledger } from '@coinops/ledger';
import { DEFAULT_REFUND_SETTINGS, unspentRefundRequester, type ReportDeps } from '@coinops/payments';
import { RiskEngine } from '@coinops/risk';
import { Module } from '@nestjs/common';
import { REPORT_DEPS, UnauthorizedActivityController } from './unauthorized-activity.controller';

@Module({
  controllers: [UnauthorizedActivityController],
  providers: [
    {
      provide: REPORT_DEPS,
      inject: [Ledger, RiskEngine, UsersService, CONFIG],
      useFactory: (ledger: Ledger, risk: RiskEngine, users: UsersService, config: Config): ReportDeps => ({
        users,
        risk,
        requestUnspentRefund: unspentRefundRequester({ ledger, settings: refundSettings(config) }),
      }),
    },
  ],
})
export class UnauthorizedActivityModule {}

function refundSettings(config: Config) {
  const threshold = (config as unknown as Record<string, unknown>).REFUND_APPROVAL_THRESHOLD_USD_MINOR;
  return threshold === undefined ? DEFAULT_REFUND_SETTINGS : { ...DEFAULT_REFUND_SETTINGS, approvalThresholdUsdMinor: BigInt(threshold as number) };
}
