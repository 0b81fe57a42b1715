import type { DataSource } from 'typeorm';

export interface SeedShape {
  users: number;
  events: number;
  /** Every event happens in the last `days` days. */
  days: number;
}

/**
 * Fills `risk_events` in one statement: recharges (80 %), gifts (15 %) and security changes (5 %)
 * spread over the last days, by `users` users. Cards, devices and IPs are mostly a user's own,
 * with some shared (families, cafés) so that distinct counts are not all 1.
 */
export async function seedRiskEvents(db: DataSource, shape: SeedShape): Promise<void> {
  await db.query(
    `INSERT INTO risk_events (kind, ref, occurred_at, user_id, card_fingerprint, device_id, ip, method, bin_country,
                              amount_minor, currency, coins, creator_id, sender_young, detail)
     SELECT CASE WHEN r < 0.80 THEN 'recharge' WHEN r < 0.95 THEN 'gift' ELSE 'security_change' END,
            'seed-' || n,
            now() - (random() * $3 * interval '1 day'),
            'u-' || u,
            CASE WHEN r < 0.80 THEN 'card-' || (CASE WHEN random() < 0.1 THEN u / 3 ELSE u END) END,
            'dev-' || (CASE WHEN random() < 0.1 THEN u / 4 ELSE u END),
            '10.' || (u % 250) || '.' || ((u / 250) % 250) || '.' || (CASE WHEN random() < 0.2 THEN 1 ELSE 2 END),
            CASE WHEN r < 0.80 THEN (ARRAY['card','card','card','paypal','apple_pay','google_pay','app_store','play_store'])[1 + (n % 8)] END,
            CASE WHEN r < 0.80 THEN (ARRAY['US','US','US','GB','DE','FR','BR','IN'])[1 + (u % 8)] END,
            CASE WHEN r < 0.80 THEN 99 * (1 + (n % 20)) END,
            CASE WHEN r < 0.80 THEN 'USD' END,
            CASE WHEN r < 0.95 THEN 70 * (1 + (n % 20)) END,
            CASE WHEN r >= 0.80 AND r < 0.95 THEN 'creator-' || (n % 500) END,
            CASE WHEN r >= 0.80 AND r < 0.95 THEN random() < 0.1 END,
            CASE WHEN r >= 0.95 THEN 'password' END
       FROM (SELECT n, (n * 7919) % $2 AS u, random() AS r FROM generate_series(1, $1) AS n) AS g`,
    [shape.events, shape.users, shape.days],
  );
  await db.query('ANALYZE risk_events');
}
