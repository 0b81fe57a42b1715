import { Roles } from '@coinops/access';
import { checkLedger, type EconomyConfig } from '@coinops/economy';
import { ALL_ROLES } from '@coinops/contracts';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ECONOMY_CONFIG } from './ledger.tokens';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller()
export class LedgerVerifyController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ECONOMY_CONFIG) private readonly economy: EconomyConfig,
  ) {}

  /** Reads every posting (one consistent snapshot): for finance and admins, not for a dashboard's polling. */
  @Get('ledger/verify')
  @Roles('admin', 'finance')
  @ApiOperation({ summary: 'Check every ledger invariant now', description: '`ok`, the count of offending rows per invariant, the violations (at most 100 per invariant) and the chargeback debts.' })
  verify() {
    return checkLedger(this.dataSource);
  }

  /** Conversion ratios (integer fractions, with the account that takes rounding) and coin packages. */
  @Get('economy')
  @Roles(...ALL_ROLES)
  economyConfig() {
    return this.economy.dto;
  }
}
