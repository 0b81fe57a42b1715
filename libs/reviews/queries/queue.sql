-- The queue's default page (GET /api/reviews: active items, soonest SLA first, 25 per page), as
-- `listReviews` sends it, with its plan on 100,000 items of which 2,500 active
-- (`node --require @swc-node/register libs/reviews/bench/queue-bench.ts --keep`, then EXPLAIN ANALYZE).
-- The point: the partial index review_items_active_sla is read from its front, and the per-item totals
-- (a LATERAL aggregate over review_item_recharges ⋈ recharges) are computed for the 25 rows of the page only.

SELECT ri.id AS id, ri.kind AS kind, ri.user_id AS user_id, ri.state AS state, ri.severity AS severity, /* ... */
       ri.recharge_count, ri.coins::text, ri.amount_minor::text, ri.currency, ri.methods, ri.bin_countries,
       u.country AS user_country, (u.frozen_at IS NOT NULL) AS user_frozen
  FROM (SELECT ri.*, t.recharge_count, t.coins, t.amount_minor, t.currency, t.methods, t.bin_countries
          FROM review_items ri
          LEFT JOIN LATERAL (
            SELECT count(*)::int AS recharge_count, coalesce(sum(r.coins), 0) AS coins, /* ... */
              FROM review_item_recharges rr JOIN recharges r ON r.id = rr.recharge_id::uuid
             WHERE rr.review_id = ri.id) t ON true) ri
  LEFT JOIN operators oa ON oa.id = ri.assigned_to
  LEFT JOIN operators od ON od.id = ri.decided_by
  LEFT JOIN users u ON u.id = ri.user_id
 WHERE ri.state IN ($1, $2, $3)
 ORDER BY ri.sla_due_at ASC NULLS FIRST, ri.id ASC
 LIMIT 25;

-- Limit  (cost=17.48..544.10 rows=25 width=430) (actual time=0.230..0.929 rows=25 loops=1)
--   ->  Nested Loop Left Join  (actual time=0.229..0.925 rows=25 loops=1)
--         ->  Nested Loop Left Join  (actual time=0.221..0.849 rows=25 loops=1)
--               ->  Nested Loop Left Join  (actual time=0.214..0.835 rows=25 loops=1)
--                     ->  Nested Loop Left Join  (actual time=0.204..0.817 rows=25 loops=1)
--                           ->  Index Scan using review_items_active_sla on review_items ri  (actual time=0.024..0.092 rows=25 loops=1)
--                           ->  Aggregate  (actual time=0.028..0.028 rows=1 loops=25)
--                                 ->  Nested Loop  (actual time=0.022..0.022 rows=1 loops=25)
--                                       ->  Index Only Scan using review_item_recharges_pkey on review_item_recharges rr  (rows=1 loops=25)
--                                             Index Cond: (review_id = ri.id)
--                                       ->  Index Scan using recharges_pkey on recharges r  (rows=1 loops=25)
--                                             Index Cond: (id = (rr.recharge_id)::uuid)
--                     ->  Materialize -> Seq Scan on operators oa
--               ->  Materialize -> Seq Scan on operators od
--         ->  Index Scan using users_pkey on users u  (rows=1 loops=25)
--               Index Cond: (id = ri.user_id)
-- Execution Time: 1.102 ms

-- Linked accounts: who else used this device (recharges_device; recharges_ip and recharges_card alike),
-- the most recent 2,000 recharges per value at most (LINK_SCAN_ROWS), grouped by user.
SELECT v.value, x.user_id, x.recharges, x.coins
  FROM unnest($1::text[]) AS v(value)
  CROSS JOIN LATERAL (
    SELECT r.user_id, count(*)::int AS recharges, sum(r.coins)::text AS coins
      FROM (SELECT user_id, coins, occurred_at FROM recharges WHERE device_id = v.value ORDER BY occurred_at DESC LIMIT 2000) r
     GROUP BY r.user_id ORDER BY count(*) DESC, r.user_id LIMIT $2) x;
