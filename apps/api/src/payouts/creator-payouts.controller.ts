import { Roles } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { PayoutService } from '@coinops/payments';
import { ValidationFailed } from '@coinops/contracts';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PlatformIdParam } from '../users/platform-id.param';

/** What finance reads on a creator's page next to the profile and KYC: earnings by day and who pays them. */
@ApiTags('creators')
@ApiBearerAuth()
@Controller('creators')
export class CreatorPayoutsController {
  constructor(private readonly payouts: PayoutService) {}

  @Get(':id/earnings')
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'days', required: false, example: 90 })
  @ApiOperation({ summary: 'Diamonds earned per day (UTC), and what was paid out' })
  earnings(@Param('id', PlatformIdParam) id: string, @Query('days') days?: string) {
    if (days !== undefined && !/^[0-9]{1,4}$/.test(days)) throw ValidationFailed.field('days', 'must be a whole number of days');
    return this.payouts.creatorEarnings(id, days === undefined ? 90 : Number(days));
  }

  @Get(':id/gift-sources')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Top payers of the last 30 days and the share of diamonds from flagged or young accounts' })
  giftSources(@Param('id', PlatformIdParam) id: string) {
    return this.payouts.creatorGiftSources(id);
  }
}
