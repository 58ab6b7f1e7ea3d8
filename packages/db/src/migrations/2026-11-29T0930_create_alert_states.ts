import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The folded state of every aggregate the alert service has judged, moved with its checkpoint, so each event
  // is matched against the state just before it (and the one it leaves) without reading another consumer's tables.
  await sql`
    CREATE TABLE alert_states (
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      state jsonb NOT NULL,
      last_position bigint NOT NULL,
      PRIMARY KEY (aggregate_type, aggregate_id)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE alert_states`.execute(db)
}
