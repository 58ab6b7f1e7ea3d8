import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // One webhook delivery per alert, inserted with the alert (the outbox). Workers claim due rows with
  // FOR UPDATE SKIP LOCKED and lease them by moving next_attempt_at past the request's timeout.
  await sql`
    CREATE TABLE deliveries (
      delivery_id uuid PRIMARY KEY REFERENCES alerts (alert_id),
      subscription_id text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      dead_at timestamptz
    )`.execute(db)
  await sql`CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status = 'pending'`.execute(db)
  await sql`CREATE INDEX deliveries_subscription_idx ON deliveries (subscription_id, created_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE deliveries`.execute(db)
}
