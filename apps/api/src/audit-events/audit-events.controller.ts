import { AUDIT_LIST, AuditEventEntity, listAuditEvents, Roles, toAuditDto } from '@coinops/access';
import { ALL_ROLES, NotFound } from '@coinops/contracts';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { listQuery, sendPage } from '../infrastructure/list';
import { BigintIdParam } from '../infrastructure/validation';

/** Read-only: the audit log has no write route, and the database refuses UPDATE and DELETE. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
@Roles(...ALL_ROLES)
export class AuditEventsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiQuery({ name: 'filter', required: false, description: 'JSON: q, action, entity, entity_id, actor_id, actor_email, request_id, created_at_gte, created_at_lte' })
  @ApiQuery({ name: 'range', required: false, example: '[0,24]' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response) {
    const list = listQuery(query, AUDIT_LIST);
    return sendPage(response, AUDIT_LIST, list, await listAuditEvents(this.dataSource, list));
  }

  @Get(':id')
  async get(@Param('id', BigintIdParam) id: string) {
    const row = await this.dataSource.getRepository(AuditEventEntity).findOne({ where: { id } });
    if (!row) throw new NotFound('audit event', id);
    return toAuditDto(row);
  }
}
