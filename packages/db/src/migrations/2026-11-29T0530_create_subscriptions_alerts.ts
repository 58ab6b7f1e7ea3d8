import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE subscriptions (
      subscription_id text PRIMARY KEY,
      name text NOT NULL,
      filter jsonb NOT NULL,
      channel jsonb NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db)
  await sql`
    CREATE TABLE alerts (
      alert_id uuid PRIMARY KEY,
      subscription_id text NOT NULL,
      event_id uuid NOT NULL,
      position bigint NOT NULL,
      title text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      UNIQUE (subscription_id, event_id)
    )`.execute(db)
  // The publisher scans only what is still to be sent.
  await sql`CREATE INDEX alerts_unpublished_idx ON alerts (position) WHERE published_at IS NULL`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE alerts`.execute(db)
  await sql`DROP TABLE subscriptions`.execute(db)
}
