import { Module } from '@nestjs/common';
import { DashboardController } from '../dashboard/dashboard.controller';
import { ExportsController } from '../exports/exports.controller';
import { ReportsController } from './reports.controller';

/** The dashboard, the reconciliation reports and the CSV exports (libs/reporting, docs/reporting.md). */
@Module({
  controllers: [DashboardController, ReportsController, ExportsController],
})
export class ReportingModule {}
