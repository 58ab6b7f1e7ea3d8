import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // World times are kept as given (a date or an instant with offset) and as the calendar date they
  // name, so no row depends on the session's time zone.
  await sql`
    CREATE TABLE measure_history (
      measure_id text NOT NULL,
      version integer NOT NULL,
      position bigint NOT NULL UNIQUE,
      event_type text NOT NULL,
      status_after text NOT NULL,
      rate_after jsonb,
      rate_percent_after numeric,
      occurred_at text NOT NULL,
      effective_at text,
      effective_on date NOT NULL,
      recorded_at timestamptz NOT NULL,
      state_after jsonb NOT NULL,
      PRIMARY KEY (measure_id, version)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE measure_history`.execute(db)
}
