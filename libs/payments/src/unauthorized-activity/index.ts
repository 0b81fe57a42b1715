export { reportUnauthorizedActivity, confirmReport, dismissReport, recoverReport, getReport, REPORT_LIMITS } from './reports';
export type { ReportDeps, NewReport, ConfirmReport, ReportRow, RequestUnspentRefund } from './reports';
export { UNAUTHORIZED_ACTIVITY_LIST, listReports, reportEvidence, toReportDto, SECURITY_CHANGE_LIMIT } from './report-query';
export type { UnauthorizedActivityReportDto, ReportEvidence } from './report-query';
export { unspentRefundRequester, cashForUnspentCoins } from './unspent-refund';
