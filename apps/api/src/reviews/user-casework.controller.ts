import { Roles, type Actor } from '@coinops/access';
import { ALL_ROLES, ValidationFailed } from '@coinops/contracts';
import { DECIDING_ROLES, ReviewService, USER_NOTES_LIST } from '@coinops/reviews';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../infrastructure/actor';
import { listQuery, sendPage } from '../infrastructure/list';
import { PlatformIdParam } from '../users/platform-id.param';
import { FreezeAccountsDto, NoteDto, ReasonDto } from './reviews.dto';

/** Every role except viewer leaves notes (support talks to users, finance sees payouts). */
const NOTE_WRITERS = ['admin', 'trust_safety', 'finance', 'support'] as const;

function optionalInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value)) throw ValidationFailed.field(field, 'must be a whole number');
  return Number(value);
}

/**
 * Trust and safety's work on a user (docs/reviews.md): freeze and unfreeze (trust and safety, admins;
 * DESIGN §1), a ring frozen in one action, notes everyone sees, the evidence and the linked-accounts graph.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UserCaseworkController {
  constructor(private readonly reviews: ReviewService) {}

  @Post('freeze')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: "Freeze a ring's accounts: one reason, one transaction, an audit row per account" })
  freezeMany(@CurrentActor() actor: Actor, @Body() body: FreezeAccountsDto) {
    return this.reviews.freezeMany(actor, body.user_ids, body.reason);
  }

  @Post(':id/freeze')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Freeze a user: gifting and cash-out are refused (409) until unfrozen', description: '409 when already frozen.' })
  freeze(@CurrentActor() actor: Actor, @Param('id', PlatformIdParam) id: string, @Body() body: ReasonDto) {
    return this.reviews.freeze(actor, id, body.reason);
  }

  @Post(':id/unfreeze')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Unfreeze a user', description: '409 when not frozen.' })
  unfreeze(@CurrentActor() actor: Actor, @Param('id', PlatformIdParam) id: string, @Body() body: ReasonDto) {
    return this.reviews.unfreeze(actor, id, body.reason);
  }

  @Get(':id/notes')
  @Roles(...ALL_ROLES)
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  async notes(@Param('id', PlatformIdParam) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, USER_NOTES_LIST);
    return sendPage(response, USER_NOTES_LIST, list, await this.reviews.notes(id, list));
  }

  @Post(':id/notes')
  @Roles(...NOTE_WRITERS)
  addNote(@CurrentActor() actor: Actor, @Param('id', PlatformIdParam) id: string, @Body() body: NoteDto) {
    return this.reviews.addNote(actor, id, body.body);
  }

  @Get(':id/evidence')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Recharges, gifts, creators gifted, cards, devices, IPs (blocked or not) and linked accounts' })
  evidence(@Param('id', PlatformIdParam) id: string) {
    return this.reviews.userEvidence(id);
  }

  @Get(':id/graph')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The linked-accounts graph, breadth first', description: 'Users, cards, devices, IPs and creators; at most 200 nodes (truncated says so).' })
  @ApiQuery({ name: 'hops', required: false, example: 2 })
  @ApiQuery({ name: 'max_nodes', required: false, example: 200 })
  graph(@Param('id', PlatformIdParam) id: string, @Query('hops') hops?: string, @Query('max_nodes') maxNodes?: string) {
    return this.reviews.graph(id, { hops: optionalInt(hops, 'hops'), maxNodes: optionalInt(maxNodes, 'max_nodes') });
  }
}
