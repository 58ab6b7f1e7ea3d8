import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE measures (
      measure_id text PRIMARY KEY,
      imposer text NOT NULL,
      targets text[] NOT NULL,
      kind text NOT NULL,
      status text NOT NULL,
      title text NOT NULL,
      ad_valorem_rate numeric,
      direction text NOT NULL,
      state jsonb NOT NULL,
      version integer NOT NULL,
      last_position bigint NOT NULL,
      announced_at timestamptz,
      updated_at timestamptz NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX measures_imposer_idx ON measures (imposer, status)`.execute(db)
  await sql`CREATE INDEX measures_targets_idx ON measures USING gin (targets)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE measures`.execute(db)
}
