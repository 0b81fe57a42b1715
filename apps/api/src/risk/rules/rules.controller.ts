import { Roles, type Actor } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import type { ListSpec } from '@coinops/db';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../../infrastructure/actor';
import { listQuery, sendPage } from '../../infrastructure/list';
import { RuleIdParam } from './rule-id.param';
import { BacktestDto, CreateRuleDto, NewRuleVersionDto, RuleSwitchDto, ValidateExpressionDto } from './rules.dto';
import { RULES_LIST } from './rules-list';
import { RulesService } from './rules.service';

/** A rule's history as a simple-rest list (newest first), so the console reads it like any list. */
const VERSIONS_LIST: ListSpec = {
  resource: 'rule-versions',
  sortable: { version: 'version' },
  filters: {},
  defaultSort: ['version', 'DESC'],
  idColumn: 'version',
};

const EDITORS = ['trust_safety', 'admin'] as const;

@ApiTags('rules')
@ApiBearerAuth()
@Controller('rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, key, action, severity, event_kind, enabled, author, updated_at_gte, updated_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["severity","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, RULES_LIST);
    return sendPage(response, RULES_LIST, list, await this.rules.list(list));
  }

  @Post()
  @Roles(...EDITORS)
  @ApiOperation({ summary: 'Create a rule (version 1, live at once)', description: 'A bad expression is a 400 with details [{field: "expression", message: "<problem> (line L, column C)"}] and `position`.' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateRuleDto) {
    return this.rules.create(actor, body);
  }

  @Post('validate')
  @Roles(...EDITORS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Check an expression for the editor', description: '200 {valid: true, references}; 400 with the problem and its position.' })
  validate(@Body() body: ValidateExpressionDto) {
    return this.rules.validate(body.expression);
  }

  @Post('backtest')
  @Roles(...EDITORS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay a draft expression over recorded decisions in [from, to)', description: 'Hits, hit rate, precision and recall against known fraud outcomes.' })
  backtest(@Body() body: BacktestDto) {
    return this.rules.backtest(body);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  get(@Param('id', RuleIdParam) id: string) {
    return this.rules.get(id);
  }

  @Put(':id')
  @Roles(...EDITORS)
  @ApiOperation({ summary: 'Save a new version and make it live', description: 'Omitted fields keep their live value; an unchanged rule saves nothing.' })
  update(@CurrentActor() actor: Actor, @Param('id', RuleIdParam) id: string, @Body() body: NewRuleVersionDto) {
    return this.rules.newVersion(actor, id, body);
  }

  @Get(':id/versions')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "A rule's versions, newest first (simple-rest list)" })
  async versions(@Param('id', RuleIdParam) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, VERSIONS_LIST);
    const all = await this.rules.versions(id);
    const ordered = list.sort[1] === 'ASC' ? [...all].reverse() : all;
    return sendPage(response, VERSIONS_LIST, list, { rows: ordered.slice(list.offset, list.offset + list.limit), total: all.length });
  }

  @Post(':id/versions')
  @Roles(...EDITORS)
  @ApiOperation({ summary: 'Save a new version and make it live (same as PUT)' })
  addVersion(@CurrentActor() actor: Actor, @Param('id', RuleIdParam) id: string, @Body() body: NewRuleVersionDto) {
    return this.rules.newVersion(actor, id, body);
  }

  @Post(':id/disable')
  @Roles(...EDITORS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Switch a rule off (a new version with enabled: false)' })
  disable(@CurrentActor() actor: Actor, @Param('id', RuleIdParam) id: string, @Body() body: RuleSwitchDto) {
    return this.rules.setEnabled(actor, id, false, body.reason);
  }

  @Post(':id/enable')
  @Roles(...EDITORS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Switch a rule back on (a new version with enabled: true)' })
  enable(@CurrentActor() actor: Actor, @Param('id', RuleIdParam) id: string, @Body() body: RuleSwitchDto) {
    return this.rules.setEnabled(actor, id, true, body.reason);
  }
}
