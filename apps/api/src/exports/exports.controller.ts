import { recordAudit, Roles, type Actor } from '@coinops/access';
import { ALL_ROLES, Forbidden, NotFound } from '@coinops/contracts';
import { openCsvExport } from '@coinops/reporting';
import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentActor } from '../infrastructure/actor';
import { listQuery } from '../infrastructure/list';
import { EXPORT_RESOURCES, exportSource, type ExportContext } from './export-registry';

/**
 * CSV exports of the lists (docs/reporting.md, "Exports"): the list's own filters, search and sort and
 * its own roles, every matching row (no range), streamed in batches so memory stays flat. Each export is
 * audited with its filter and row count: a list of users is personal data leaving the system.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
@Roles(...ALL_ROLES)
export class ExportsController {
  private readonly logger = new Logger('exports');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Get(':resource')
  @ApiOperation({ summary: 'Every row of a list as CSV', description: `Resources: ${EXPORT_RESOURCES.join(', ')}. Same filter and sort as the list; range is ignored.` })
  @ApiParam({ name: 'resource', enum: EXPORT_RESOURCES })
  @ApiQuery({ name: 'filter', required: false, description: 'JSON, as for the list' })
  @ApiQuery({ name: 'sort', required: false, example: '["created_at","DESC"]' })
  @ApiProduces('text/csv')
  async export(@Param('resource') resource: string, @Query() query: Record<string, unknown>, @CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    const source = exportSource(resource);
    if (!source) throw new NotFound('export', resource.slice(0, 64));
    if (!actor.role || !source.roles.includes(actor.role as never)) throw new Forbidden(`${actor.role ?? 'this role'} may not export ${resource}`);
    const { range: _ignored, ...listParams } = query;
    const list = listQuery(listParams, source.spec);
    const context: ExportContext = { dataSource: this.dataSource, get: (type) => this.moduleRef.get(type, { strict: false }) };
    const csv = await openCsvExport((offset, limit) => source.page(context, { ...list, offset, limit }), { columns: source.columns });
    await recordAudit(this.dataSource.manager, actor, { action: 'export.downloaded', entity: 'export', entityId: resource, after: { filter: list.filter, sort: list.sort, rows: csv.total } });

    const day = new Date().toISOString().slice(0, 10);
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${resource}-${day}.csv"`);
    response.setHeader('Cache-Control', 'no-store');
    try {
      await csv.write(response);
      response.end();
    } catch (error) {
      // Headers are gone: all that is left is to cut the download short, so it is not taken for complete.
      this.logger.warn(`export of ${resource} stopped: ${(error as Error).message}`);
      response.destroy();
    }
  }
}
