import { Public } from '@coinops/access';
import { DomainError } from '@coinops/contracts';
import { RiskEngine } from '@coinops/risk';
import { Body, Controller, HttpCode, Logger, Post, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decisionDto } from '../wire';
import { parseDecisionRequest } from './decision-request';
import { RiskServiceTokenGuard } from './service-token.guard';
import { subjectFacts } from './subject-facts';

/** The synchronous pre-charge decision for the payments service (DESIGN §4). Records nothing. */
@ApiTags('risk')
@Controller('risk/decisions')
export class RiskDecisionsController {
  private readonly logger = new Logger('risk');

  constructor(
    private readonly engine: RiskEngine,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Post()
  @Public('authenticated by the risk service token')
  @UseGuards(RiskServiceTokenGuard)
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Decide on a recharge before charging it',
    description:
      'For the payments service, with `Authorization: Bearer <RISK_SERVICE_TOKEN>` (operator tokens are refused). ' +
      'Returns the most severe matching action, the capped score and every matching rule with the feature values that made it match. ' +
      'Nothing is stored: the recharge is observed when it is stored and evaluated again by the worker. ' +
      '503 when Redis or PostgreSQL does not answer (the caller applies its fallback). ' +
      'Facts the body leaves out (country, account creation time, birth year, email) come from the users table, and so does `frozen`.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['user_id', 'method', 'amount', 'currency', 'coins'],
      example: {
        recharge_id: 'ch_123',
        user_id: 'u_42',
        method: 'card',
        amount: '499',
        currency: 'USD',
        coins: 350,
        card_fingerprint: 'fp_abc',
        card_brand: 'visa',
        bin_country: 'US',
        device_id: 'dev_1',
        ip: '203.0.113.7',
        ip_country: 'US',
        user_country: 'US',
        user_created_at: '2025-01-01T00:00:00Z',
        birth_year: 1990,
        email: 'buyer@example.com',
      },
    },
  })
  async decide(@Body() body: unknown) {
    const now = new Date();
    const { event, subject } = parseDecisionRequest(body, now);
    try {
      const facts = await subjectFacts(this.dataSource, event.userId, subject, now);
      return decisionDto(await this.engine.evaluate(event, facts, { record: false, now }));
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // Redis or PostgreSQL did not answer: a 503 tells the payments service to apply its own fallback.
      this.logger.error(`risk decision failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new ServiceUnavailableException('the risk engine is unavailable; retry or apply the fallback policy');
    }
  }
}
