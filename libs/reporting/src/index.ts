/** @coinops/reporting: dashboard rollups and queries, the daily reconciliation, CSV exports (docs/reporting.md). No HTTP. */
export { refreshRollups } from './rollups/refresh-rollups';
export type { RollupRun } from './rollups/refresh-rollups';
export { RECHARGE_SETTLE_HOURS } from './rollups/recharge-rollup';
export { FLAGGED_WINDOW_DAYS, FLAGGED_TOP_CREATORS } from './rollups/daily-rollups';
export { liabilityNow } from './rollups/liability';
export type { LiabilityFigures } from './rollups/liability';

export {
  DASHBOARD_LIMITS, parseDays, parseMonths, rechargesByMethod, decisionsOverTime, reviewQueue, payoutsByState, liability, flaggedGiftCreators,
} from './dashboard/dashboard-queries';
export type { RechargeBucketDto } from './dashboard/dashboard-queries';
export { chargebackRatio } from './dashboard/chargeback-ratio';
export type { ChargebackMonthDto, RatioThresholdDto, ThresholdMeasureDto } from './dashboard/chargeback-ratio';

export { reconcileDay, reconciledProviders, parseDay, RECONCILIATION_KINDS, DIFFERENCE_TYPES, MAX_DIFFERENCES } from './reconciliation/reconcile';
export type { Reconciliation, ReconciliationSummary, Difference, DifferenceType, ReconciliationKind } from './reconciliation/reconcile';
export { generateReconciliation, reconcileYesterday, readReconciliation, readDifferences, parseProvider } from './reconciliation/report-store';
export type { ReconciliationReportDto, DifferenceDto } from './reconciliation/report-store';

export { csvCell, csvLine } from './exports/csv';
export { openCsvExport, writeCsv, EXPORT_BATCH_ROWS, EXPORT_MAX_ROWS } from './exports/stream-csv';
export type { PageReader } from './exports/stream-csv';
