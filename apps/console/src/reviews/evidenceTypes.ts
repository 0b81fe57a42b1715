/** `GET /api/reviews/:id/evidence` and `GET /api/users/:id/evidence` (libs/reviews/src/evidence). */
export interface Instrument {
  kind: 'card' | 'device' | 'ip';
  value: string;
  recharges: number;
  coins: string;
  via_profile: boolean;
  first_seen: string | null;
  last_seen: string | null;
  blocked: boolean;
  other_users: number;
}

export interface LinkedAccount {
  user_id: string;
  via: Array<{ kind: string; value: string }>;
  recharges: number;
  frozen: boolean;
  charged_back: boolean;
  known: boolean;
}

export interface Evidence {
  user_id: string;
  user: Record<string, unknown> | null;
  recharges: { rows: Array<Record<string, string | number | null>>; total: number };
  gifts: { rows: Array<Record<string, string | null>>; total: number };
  coins_went_to: Array<{ creator_id: string; gifts: number; coins: string; kyc_status: string | null }>;
  instruments: Instrument[];
  linked_accounts: LinkedAccount[];
  refunds: { available: boolean; note: string; rows: Array<Record<string, string | null>> };
  chargebacks: { available: boolean; note: string; rows: Array<Record<string, string | null>> };
  limits: Record<string, number>;
}
