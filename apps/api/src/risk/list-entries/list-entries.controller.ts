import { Roles, type Actor } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../../infrastructure/actor';
import { listQuery, sendPage } from '../../infrastructure/list';
import { UuidParam } from '../../infrastructure/validation';
import { CreateListEntryDto, RemoveListEntryDto } from './list-entries.dto';
import { LIST_ENTRIES_LIST } from './list-entries-list';
import { ListEntriesService } from './list-entries.service';

const EDITORS = ['trust_safety', 'admin'] as const;

@ApiTags('list-entries')
@ApiBearerAuth()
@Controller('list-entries')
export class ListEntriesController {
  constructor(private readonly entries: ListEntriesService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, id, list, kind, value, active, author, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, LIST_ENTRIES_LIST);
    return sendPage(response, LIST_ENTRIES_LIST, list, await this.entries.list(list));
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  get(@Param('id', UuidParam) id: string) {
    return this.entries.get(id);
  }

  @Post()
  @Roles(...EDITORS)
  @ApiOperation({ summary: 'Add a block or allow entry', description: 'Matches from now until expires_at or removal. Allow turns review into allow, never block.' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateListEntryDto) {
    return this.entries.create(actor, body);
  }

  @Post(':id/remove')
  @Roles(...EDITORS)
  @HttpCode(200)
  @ApiOperation({ summary: 'End an entry now, with a reason; the entry stays as history', description: '409 when it was already removed.' })
  remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: RemoveListEntryDto) {
    return this.entries.remove(actor, id, body.reason);
  }
}
