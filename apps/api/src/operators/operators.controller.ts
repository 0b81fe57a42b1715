import { MfaService, OPERATORS_LIST, OperatorsService, Roles, type Actor } from '@coinops/access';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../infrastructure/actor';
import { listQuery, sendPage } from '../infrastructure/list';
import { UuidParam } from '../infrastructure/validation';
import { CreateOperatorDto, ResetPasswordDto, ResetTotpDto, UpdateOperatorDto } from './operators.dto';

@ApiTags('operators')
@ApiBearerAuth()
@Controller('operators')
@Roles('admin')
export class OperatorsController {
  constructor(
    private readonly operators: OperatorsService,
    private readonly mfa: MfaService,
  ) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, role, disabled, email' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, OPERATORS_LIST);
    return sendPage(response, OPERATORS_LIST, list, await this.operators.list(list));
  }

  @Get(':id')
  get(@Param('id', UuidParam) id: string) {
    return this.operators.get(id);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateOperatorDto) {
    return this.operators.create(actor, body);
  }

  @Put(':id')
  update(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: UpdateOperatorDto) {
    return this.operators.update(actor, id, body);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  resetPassword(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: ResetPasswordDto) {
    return this.operators.resetPassword(actor, id, body.password, body.reason);
  }

  /** Recovery for a lost authenticator: clears the operator's second factor and ends their sessions (audited). */
  @Post(':id/reset-totp')
  @HttpCode(200)
  resetTotp(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: ResetTotpDto) {
    return this.mfa.reset(actor, id, body.reason);
  }
}
