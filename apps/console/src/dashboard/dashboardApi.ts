import { useQuery } from '@tanstack/react-query';
import { createHttpClient } from '../dataProvider/httpClient';
import { createSessionStore } from '../session';

/**
 * The dashboard's reads (`GET /api/dashboard/<chart>`, served from rollups: docs/reporting.md) and the
 * reconciliation reports. Same HTTP client as the data provider: bearer token, server errors kept.
 */
const httpClient = createHttpClient(() => createSessionStore().read()?.token ?? null);

export async function getJson<T>(path: string): Promise<T> {
  const { json } = await httpClient(`/api${path}`);
  return json as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const { json } = await httpClient(`/api${path}`, { method: 'POST', body: JSON.stringify(body) });
  return json as T;
}

/** One chart's data, refreshed every minute (the rollups move once a minute). */
export function useDashboard<T>(path: string) {
  return useQuery({ queryKey: ['dashboard', path], queryFn: () => getJson<T>(path), refetchInterval: 60_000 });
}

export interface RechargesByMethod {
  bucket: 'day' | 'hour';
  as_of: string | null;
  buckets: Array<{ at: string; method: string; currency: string; recharges: string; coins: string; amount: string }>;
}

export interface Decisions {
  bucket: 'day' | 'hour';
  as_of: string | null;
  buckets: Array<{ at: string; decision: string; recharges: string }>;
}

export interface ReviewQueue {
  as_of: string | null;
  now: { depth: string; open: string; in_review: string; escalated: string; overdue: string };
  daily: Array<{ day: string; opened: string; decided: string; sla_breached: string; depth_at_end: string }>;
}

export interface ChargebackRatio {
  available: boolean;
  has_data: boolean;
  thresholds: Array<{ id: string; programme: string; level: string; card_brand: string | null; ratio_ppm: string; min_count: number }>;
  monthly: Array<{ month: string; transactions: string; disputes: string; fraud_warnings: string; ratio_ppm: string; by_threshold: Record<string, { count: string; ratio_ppm: string; crossed: boolean }> }>;
}

export interface PayoutsByState {
  available: boolean;
  has_data: boolean;
  as_of: string | null;
  states: Array<{ state: string; currency: string; payouts: string; diamonds: string; amount: string }>;
}

interface LiabilityFigures {
  coins_outstanding: string;
  coins_held: string;
  coins_debt: string;
  diamonds_owed: string;
  diamonds_reserved: string;
  diamonds_debt: string;
}

export interface Liability {
  now: LiabilityFigures;
  daily: Array<{ day: string } & LiabilityFigures>;
}

export interface FlaggedCreators {
  as_of: string | null;
  window_days: number | null;
  creators: Array<{ rank: number; creator_id: string; coins: string; gifts: string; flagged_senders: string }>;
}

/** A count or an amount for plotting only (a chart needs numbers); labels and tooltips format the exact string. */
export const plot = (value: string): number => Number(value);

export const METHOD_COLORS: Record<string, string> = {
  card: '#1976d2', paypal: '#0097a7', google_pay: '#43a047', apple_pay: '#616161', app_store: '#8e24aa', play_store: '#f4511e',
};
export const DECISION_COLORS: Record<string, string> = { allow: '#43a047', review: '#fb8c00', block: '#e53935', pending: '#9e9e9e' };

/** A count from its decimal string, grouped (`1234567` → `1,234,567`), never through a float. */
export const formatCount = (value: string): string => new Intl.NumberFormat('en-US').format(BigInt(value));

/** `2026-11-27T00:00:00.000Z` → `Nov 27` (per day) or `14:00` (per hour), in UTC like the rollups. */
export function bucketLabel(at: string, bucket: 'day' | 'hour'): string {
  const date = new Date(at);
  return bucket === 'hour'
    ? `${String(date.getUTCHours()).padStart(2, '0')}:00`
    : date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}
