import { type Kysely, sql } from 'kysely'

// Positions are assigned under a transaction-scoped advisory lock, gapless and in commit
// order, so there is no sequence here: see packages/event-store/src/append.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE events (
      position bigint PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      stream_id text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      version integer NOT NULL CHECK (version > 0),
      type text NOT NULL,
      schema_version integer NOT NULL DEFAULT 1,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      idempotency_key text UNIQUE,
      recorded_at timestamptz NOT NULL,
      UNIQUE (stream_id, version)
    )`.execute(db)
  // The events table is append-only: refuse UPDATE and DELETE outright.
  await sql`
    CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db)
  await sql`
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only()`.execute(db)
  await sql`CREATE INDEX events_type_idx ON events (type, position)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE events`.execute(db)
  await sql`DROP FUNCTION events_append_only`.execute(db)
}
