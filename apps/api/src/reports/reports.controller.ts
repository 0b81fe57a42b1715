import { Roles, type Actor } from '@coinops/access';
import { generateReconciliation, parseDay, parseProvider, readDifferences, readReconciliation, reconciledProviders, writeCsv } from '@coinops/reporting';
import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentActor } from '../infrastructure/actor';
import { RunReconciliationDto } from './reports.dto';

const FINANCE = ['finance', 'admin'] as const;
/** Differences in one JSON answer; the CSV streams all of them. */
const JSON_DIFFERENCES_LIMIT = 1_000;
const CSV_BATCH = 1_000;
const DIFFERENCE_COLUMNS = [
  'provider', 'day', 'kind', 'difference', 'reference', 'currency', 'provider_amount', 'ledger_amount', 'provider_event_id', 'ledger_transaction_id', 'detail',
] as const;

/** The daily reconciliation of each provider against the ledger (docs/reporting.md): finance and admins only. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports/reconciliation')
@Roles(...FINANCE)
export class ReportsController {
  private readonly logger = new Logger('reports');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: "A day's reconciliation reports (one per provider) and their differences (the first 1,000; the CSV has all)" })
  @ApiQuery({ name: 'date', required: true, example: '2026-11-27' })
  @ApiQuery({ name: 'provider', required: false, example: 'stripe' })
  async get(@Query('date') date: unknown, @Query('provider') provider: unknown) {
    const day = parseDay(date);
    const onlyProvider = parseProvider(provider);
    const reports = await readReconciliation(this.dataSource, day, onlyProvider);
    const differences = await readDifferences(this.dataSource, day, onlyProvider, '0', JSON_DIFFERENCES_LIMIT);
    const total = reports.reduce((sum, r) => sum + r.differences, 0);
    return { day, generated: reports.length > 0, reports, differences: differences.map(({ id: _id, ...d }) => d), differences_total: total };
  }

  @Get('csv')
  @ApiOperation({ summary: "Every difference of a day's reconciliation as CSV" })
  @ApiQuery({ name: 'date', required: true, example: '2026-11-27' })
  @ApiQuery({ name: 'provider', required: false, example: 'stripe' })
  @ApiProduces('text/csv')
  async csv(@Query('date') date: unknown, @Query('provider') provider: unknown, @Res() response: Response): Promise<void> {
    const day = parseDay(date);
    const onlyProvider = parseProvider(provider);
    const dataSource = this.dataSource;
    async function* batches() {
      for (let after = '0'; ; ) {
        const rows = await readDifferences(dataSource, day, onlyProvider, after, CSV_BATCH);
        if (rows.length) yield rows;
        if (rows.length < CSV_BATCH) return;
        after = rows[rows.length - 1].id;
      }
    }
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="reconciliation-${onlyProvider ? `${onlyProvider}-` : ''}${day}.csv"`);
    response.setHeader('Cache-Control', 'no-store');
    try {
      await writeCsv(response, DIFFERENCE_COLUMNS, batches());
      response.end();
    } catch (error) {
      this.logger.warn(`reconciliation CSV of ${day} stopped: ${(error as Error).message}`);
      response.destroy();
    }
  }

  @Post('run')
  @HttpCode(200)
  @ApiOperation({ summary: "Reconcile a day now (every provider, or one) and store the reports, replacing the day's previous ones" })
  async run(@Body() body: RunReconciliationDto, @CurrentActor() actor: Actor) {
    const day = parseDay(body.date);
    const providers = body.provider ? [body.provider] : await reconciledProviders(this.dataSource);
    const reports = [];
    for (const provider of providers) reports.push(await generateReconciliation(this.dataSource, provider, day, actor.email ?? 'unknown operator'));
    return { day, reports };
  }
}
