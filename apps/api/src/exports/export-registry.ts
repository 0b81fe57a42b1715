import { AUDIT_LIST, listAuditEvents, OPERATORS_LIST, OperatorsService } from '@coinops/access';
import { ALL_ROLES, type Role } from '@coinops/contracts';
import type { ListQuery, ListSpec } from '@coinops/db';
import {
  CREATORS_LIST, CreatorsService, GIFTS_LIST, GiftsService, LEDGER_ACCOUNTS_LIST, LEDGER_TRANSACTIONS_LIST, LedgerAccountsService, LedgerTransactionsService,
  USERS_LIST, UsersService,
} from '@coinops/economy';
import {
  ADJUSTMENTS_LIST, CHARGEBACKS_LIST, listAdjustments, listChargebacks, listPayouts, listRecharges, listRefunds, listReports, PAYOUTS_LIST, RECHARGES_LIST, REFUNDS_LIST,
  UNAUTHORIZED_ACTIVITY_LIST,
} from '@coinops/payments';
import { listReviews, REVIEWS_LIST } from '@coinops/reviews';
import { rawPage } from '@coinops/db';
import type { Type } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ALERTS_LIST, alertsQuery, toAlertDto } from '../risk/alerts/alerts-list';
import { LIST_ENTRIES_LIST } from '../risk/list-entries/list-entries-list';
import { ListEntriesService } from '../risk/list-entries/list-entries.service';
import { RULES_LIST } from '../risk/rules/rules-list';
import { RulesService } from '../risk/rules/rules.service';

/** What an export reads with: the database, and any provider of the app (a list's own service). */
export interface ExportContext {
  dataSource: DataSource;
  get<T>(type: Type<T>): T;
}

/**
 * A list that can be exported as CSV: its list definition (the same filters, search and sort as the
 * list, so an export is exactly what the operator sees), who may export it (the list's own roles), and
 * how to read one page of it — the list's own page function, so rows are the list's rows.
 */
export interface ExportSource {
  resource: string;
  spec: ListSpec;
  roles: readonly Role[];
  page(context: ExportContext, list: ListQuery): Promise<{ rows: object[]; total: number }>;
  /** Fixed CSV columns (default: the fields of the rows, in their order). */
  columns?: readonly string[];
}

const source = (resource: string, spec: ListSpec, roles: readonly Role[], page: ExportSource['page']): ExportSource => ({ resource, spec, roles, page });

/**
 * Every exportable list (`GET /api/exports/<resource>`). A new list plugs in with one line here:
 * `source('refunds', REFUNDS_LIST, ROLES, (c, list) => listRefunds(c.dataSource, list))` (docs/reporting.md).
 */
export const EXPORT_SOURCES: readonly ExportSource[] = [
  source('users', USERS_LIST, ALL_ROLES, (c, list) => c.get(UsersService).list(list)),
  source('creators', CREATORS_LIST, ALL_ROLES, (c, list) => c.get(CreatorsService).list(list)),
  source('gifts', GIFTS_LIST, ALL_ROLES, (c, list) => c.get(GiftsService).list(list)),
  source('recharges', RECHARGES_LIST, ALL_ROLES, (c, list) => listRecharges(c.dataSource, list)),
  source('alerts', ALERTS_LIST, ALL_ROLES, (c, list) => rawPage(alertsQuery(c.dataSource), list, ALERTS_LIST, toAlertDto)),
  source('rules', RULES_LIST, ALL_ROLES, (c, list) => c.get(RulesService).list(list)),
  source('list-entries', LIST_ENTRIES_LIST, ALL_ROLES, (c, list) => c.get(ListEntriesService).list(list)),
  source('reviews', REVIEWS_LIST, ALL_ROLES, (c, list) => listReviews(c.dataSource, list)),
  source('ledger-accounts', LEDGER_ACCOUNTS_LIST, ALL_ROLES, (c, list) => c.get(LedgerAccountsService).list(list)),
  source('ledger-transactions', LEDGER_TRANSACTIONS_LIST, ALL_ROLES, (c, list) => c.get(LedgerTransactionsService).list(list)),
  source('audit-events', AUDIT_LIST, ALL_ROLES, (c, list) => listAuditEvents(c.dataSource, list)),
  source('operators', OPERATORS_LIST, ['admin'], (c, list) => c.get(OperatorsService).list(list)),
  source('refunds', REFUNDS_LIST, ALL_ROLES, (c, list) => listRefunds(c.dataSource, list)),
  source('adjustments', ADJUSTMENTS_LIST, ALL_ROLES, (c, list) => listAdjustments(c.dataSource, list)),
  source('chargebacks', CHARGEBACKS_LIST, ALL_ROLES, (c, list) => listChargebacks(c.dataSource, list)),
  source('payouts', PAYOUTS_LIST, ALL_ROLES, (c, list) => listPayouts(c.dataSource, list)),
  source('unauthorized-activity', UNAUTHORIZED_ACTIVITY_LIST, ALL_ROLES, (c, list) => listReports(c.dataSource, list)),
];

export const EXPORT_RESOURCES = EXPORT_SOURCES.map((s) => s.resource);

export function exportSource(resource: string): ExportSource | undefined {
  return EXPORT_SOURCES.find((s) => s.resource === resource);
}
