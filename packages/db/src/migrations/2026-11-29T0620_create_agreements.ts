import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE agreements (
      agreement_id text PRIMARY KEY,
      kind text NOT NULL,
      title text NOT NULL,
      parties text[] NOT NULL,
      status text NOT NULL,
      launched_on date NOT NULL,
      signed_on date,
      in_force_on date,
      ended_on date,
      state jsonb NOT NULL,
      version integer NOT NULL,
      last_position bigint NOT NULL,
      updated_at timestamptz NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX agreements_parties_idx ON agreements USING gin (parties)`.execute(db)
  await sql`CREATE INDEX agreements_status_idx ON agreements (status)`.execute(db)
  // One row per event that moved the status (the opening event included).
  await sql`
    CREATE TABLE agreement_status_history (
      agreement_id text NOT NULL,
      version integer NOT NULL,
      position bigint NOT NULL UNIQUE,
      event_type text NOT NULL,
      status_before text,
      status_after text NOT NULL,
      occurred_at text NOT NULL,
      effective_on date NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (agreement_id, version)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE agreement_status_history`.execute(db)
  await sql`DROP TABLE agreements`.execute(db)
}
