import { UNAUTHORIZED_ACTIVITY_STATES } from '@coinops/contracts';
import { rawPage, type ListQuery, type ListSpec } from '@coinops/db';
import { userEvidence, type Evidence } from '@coinops/reviews';
import type { DataSource } from 'typeorm';
import { getReport, type ReportRow } from './reports';

/** A report on the wire (snake_case, times in ISO 8601). */
export interface UnauthorizedActivityReportDto {
  id: string;
  user_id: string;
  state: string;
  description: string;
  recharge_ids: string[];
  gift_ids: string[];
  since: string | null;
  review_id: string | null;
  froze_user: boolean;
  reported_by: string;
  reported_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  actions: Record<string, unknown> | null;
  recovered_by: string | null;
  recovered_at: string | null;
}

export const UNAUTHORIZED_ACTIVITY_LIST: ListSpec = {
  resource: 'unauthorized-activity',
  sortable: { reported_at: 'a.reported_at', state: 'a.state', decided_at: 'a.decided_at' },
  filters: {
    id: { column: 'a.id', type: 'uuid' },
    state: { column: 'a.state', type: 'enum', values: UNAUTHORIZED_ACTIVITY_STATES },
    user_id: { column: 'a.user_id', type: 'text' },
    reported_at_gte: { column: 'a.reported_at', type: 'timestamp', op: 'gte' },
    reported_at_lte: { column: 'a.reported_at', type: 'timestamp', op: 'lte' },
  },
  search: ['a.id', 'a.user_id'],
  defaultSort: ['reported_at', 'DESC'],
  idColumn: 'a.id',
};

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

export function toReportDto(row: ReportRow): UnauthorizedActivityReportDto {
  return {
    id: row.id,
    user_id: row.user_id,
    state: row.state,
    description: row.description,
    recharge_ids: row.recharge_ids ?? [],
    gift_ids: row.gift_ids ?? [],
    since: iso(row.since),
    review_id: row.review_id,
    froze_user: row.froze_user,
    reported_by: row.reported_by,
    reported_at: iso(row.reported_at)!,
    decided_by: row.decided_by,
    decided_at: iso(row.decided_at),
    decision_reason: row.decision_reason,
    actions: row.actions,
    recovered_by: row.recovered_by,
    recovered_at: iso(row.recovered_at),
  };
}

export function listReports(dataSource: DataSource, list: ListQuery): Promise<{ rows: UnauthorizedActivityReportDto[]; total: number }> {
  const qb = dataSource.createQueryBuilder().select('a.*').from('unauthorized_activity_reports', 'a');
  return rawPage(qb, list, UNAUTHORIZED_ACTIVITY_LIST, toReportDto);
}

/** Security changes shown with a report: the last 90 days, at most this many. */
export const SECURITY_CHANGE_LIMIT = 50;

export interface ReportEvidence {
  report: UnauthorizedActivityReportDto;
  /** Password, email, phone and new-device changes (platform `account.security_changed` events), newest first. */
  security_changes: Array<{ change: string; device_id: string | null; ip: string | null; occurred_at: string }>;
  /** The user's recharges, gifts, creators gifted, cards, devices, IPs and linked accounts (the review evidence). */
  evidence: Evidence;
}

/** What trust and safety weigh before confirming: the recent recharges, gifts, devices and security changes. */
export async function reportEvidence(dataSource: DataSource, reportId: string): Promise<ReportEvidence> {
  const report = await getReport(dataSource.manager, reportId);
  const [changes, evidence] = await Promise.all([
    dataSource.query(
      `SELECT detail AS change, device_id, ip, occurred_at FROM risk_events
        WHERE kind = 'security_change' AND user_id = $1 AND occurred_at > now() - interval '90 days'
        ORDER BY occurred_at DESC, id DESC LIMIT $2`,
      [report.user_id, SECURITY_CHANGE_LIMIT],
    ),
    userEvidence(dataSource, report.user_id),
  ]);
  return {
    report: toReportDto(report),
    security_changes: changes.map((c: { change: string; device_id: string | null; ip: string | null; occurred_at: Date }) => ({ ...c, occurred_at: iso(c.occurred_at)! })),
    evidence,
  };
}
