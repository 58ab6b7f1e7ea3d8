import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // owner: the API key name that created the subscription; null for rows made outside the
  // API (seeds, tests), which only admin keys see. version: bumped on every change (ETag,
  // If-Match). deleted_at: a soft delete keeps alert history readable; `active` stays what
  // the alert service matches on, and a delete clears it too.
  await sql`
    ALTER TABLE subscriptions
      ADD COLUMN owner text,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN deleted_at timestamptz,
      ADD COLUMN version integer NOT NULL DEFAULT 1`.execute(db)
  await sql`CREATE INDEX subscriptions_owner_idx ON subscriptions (owner, created_at, subscription_id) WHERE deleted_at IS NULL`.execute(db)
  // History and the SSE stream read alerts in (position, alert_id) order, per subscription or all.
  await sql`CREATE INDEX alerts_position_idx ON alerts (position, alert_id)`.execute(db)
  await sql`CREATE INDEX alerts_subscription_position_idx ON alerts (subscription_id, position, alert_id)`.execute(db)
  // One notification per committed insert statement (not per row; Postgres folds identical
  // notifications in a transaction): SSE streams wake up and read from their cursor.
  await sql`
    CREATE FUNCTION notify_alerts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('tradewatch_alerts', '');
      RETURN NULL;
    END $$`.execute(db)
  await sql`CREATE TRIGGER alerts_inserted AFTER INSERT ON alerts FOR EACH STATEMENT EXECUTE FUNCTION notify_alerts_inserted()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER alerts_inserted ON alerts`.execute(db)
  await sql`DROP FUNCTION notify_alerts_inserted()`.execute(db)
  await sql`DROP INDEX alerts_subscription_position_idx`.execute(db)
  await sql`DROP INDEX alerts_position_idx`.execute(db)
  await sql`DROP INDEX subscriptions_owner_idx`.execute(db)
  await sql`ALTER TABLE subscriptions DROP COLUMN owner, DROP COLUMN updated_at, DROP COLUMN deleted_at, DROP COLUMN version`.execute(db)
}
