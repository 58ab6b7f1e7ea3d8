import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE event_archive (
      position bigint PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      event_type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      recorded_at timestamptz NOT NULL,
      envelope jsonb NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX event_archive_aggregate_idx ON event_archive (aggregate_type, aggregate_id, position)`.execute(db)
  await sql`CREATE INDEX event_archive_type_idx ON event_archive (event_type, position)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE event_archive`.execute(db)
}
