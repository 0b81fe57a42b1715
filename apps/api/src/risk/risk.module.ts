import { RiskEngine } from '@coinops/risk';
import { Global, Module } from '@nestjs/common';
import { AlertsController } from './alerts/alerts.controller';
import { RiskDecisionsController } from './decisions/risk-decisions.controller';
import { RiskServiceTokenGuard } from './decisions/service-token.guard';
import { ListEntriesController } from './list-entries/list-entries.controller';
import { ListEntriesService } from './list-entries/list-entries.service';
import { riskEngineProvider, RiskLifecycle, riskRedisProvider } from './risk-engine.provider';
import { RulesController } from './rules/rules.controller';
import { RulesService } from './rules/rules.service';

/**
 * The risk engine over HTTP (docs/risk.md, "HTTP API"): the pre-charge decision for the payments
 * service, and rules, lists, alerts and backtests for operators. Exports the process's one
 * `RiskEngine` for the flows that observe or record (recharge intake, reviews, chargebacks).
 */
@Global()
@Module({
  controllers: [RiskDecisionsController, RulesController, ListEntriesController, AlertsController],
  providers: [riskRedisProvider, riskEngineProvider, RiskLifecycle, RiskServiceTokenGuard, RulesService, ListEntriesService],
  exports: [RiskEngine],
})
export class RiskModule {}
