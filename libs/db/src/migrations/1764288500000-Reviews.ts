import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Review items (DESIGN §5): trust and safety's queue. One item per user while it is active; each held
 * recharge of that user joins it (review_item_recharges), with the ledger hold it posts or voids.
 */
export class Reviews1764288500000 implements MigrationInterface {
  name = 'Reviews1764288500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('recharge','early_fraud_warning','unauthorized_activity','chargeback','age_change')),
        user_id text NOT NULL CHECK (length(user_id) BETWEEN 1 AND 128),
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open','in_review','escalated','approved','rejected')),
        severity text NOT NULL CHECK (severity IN ('low','medium','high','critical')),
        opened_reason text NOT NULL,
        rule_keys text[] NOT NULL DEFAULT '{}',
        sla_due_at timestamptz NOT NULL,
        assigned_to uuid REFERENCES operators (id),
        decided_by uuid REFERENCES operators (id),
        decision_reason text,
        decided_at timestamptz,
        escalated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((state IN ('approved','rejected')) = (decided_at IS NOT NULL))
      )`);
    // At most one active item of a kind per user: concurrent holds of one user join the same item.
    await q.query(`CREATE UNIQUE INDEX review_items_one_active ON review_items (user_id, kind) WHERE state IN ('open','in_review','escalated')`);
    await q.query(`CREATE INDEX review_items_queue ON review_items (state, sla_due_at)`);
    await q.query(`CREATE INDEX review_items_assignee ON review_items (assigned_to) WHERE assigned_to IS NOT NULL`);

    await q.query(`
      CREATE TABLE review_item_recharges (
        review_id uuid NOT NULL REFERENCES review_items (id),
        recharge_id text NOT NULL UNIQUE,
        hold_transaction_id text NOT NULL,
        decision_id text,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (review_id, recharge_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_item_recharges, review_items`);
  }
}
