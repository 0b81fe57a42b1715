import { Roles, type Actor } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { readSlaPolicy, updateSlaPolicy } from '@coinops/reviews';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CurrentActor } from '../infrastructure/actor';
import { UpdateSlaDto } from './reviews.dto';

/** Minutes to decide a review item, by severity: configuration as data, changed by admins, audited. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('review-sla')
export class ReviewSlaController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Roles(...ALL_ROLES)
  async get() {
    return { sla_minutes: (await readSlaPolicy(this.dataSource)).slaMinutes };
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Change the SLA of new items', description: 'Items already open keep their due time.' })
  async update(@CurrentActor() actor: Actor, @Body() body: UpdateSlaDto) {
    const changes = Object.fromEntries(Object.entries(body.sla_minutes).filter(([, minutes]) => minutes !== undefined));
    return { sla_minutes: (await updateSlaPolicy(this.dataSource, actor, changes, body.reason.trim())).slaMinutes };
  }
}
