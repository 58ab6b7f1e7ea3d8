import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // What the timeline remembers about each aggregate, so a later event's row names its subject.
  await sql`
    CREATE TABLE timeline_subjects (
      aggregate_id text PRIMARY KEY,
      aggregate_type text NOT NULL,
      title text NOT NULL,
      countries text[] NOT NULL,
      hs_codes text[] NOT NULL,
      product_text text
    )`.execute(db)
  // hs_codes are the codes as given; hs_prefixes every 2/4/6/8/10-digit prefix of them, so "under
  // 8703" is hs_prefixes @> {8703} and "covering 870380" is hs_codes && {87,8703,870380}: both GIN.
  await sql`
    CREATE TABLE timeline (
      position bigint PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      event_type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      aggregate_version integer NOT NULL,
      occurred_at text NOT NULL,
      occurred_on date NOT NULL,
      effective_on date NOT NULL,
      recorded_at timestamptz NOT NULL,
      title text NOT NULL,
      summary text NOT NULL,
      product_text text,
      countries text[] NOT NULL,
      hs_codes text[] NOT NULL,
      hs_prefixes text[] NOT NULL,
      source_kind text NOT NULL,
      source_url text NOT NULL,
      source_title text NOT NULL,
      source_publisher text,
      source_quote text,
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', summary || ' ' || coalesce(product_text, '')), 'B')
        || setweight(to_tsvector('english', source_title || ' ' || coalesce(source_quote, '')), 'C')
      ) STORED
    )`.execute(db)
  await sql`CREATE INDEX timeline_search_idx ON timeline USING gin (search)`.execute(db)
  await sql`CREATE INDEX timeline_countries_idx ON timeline USING gin (countries)`.execute(db)
  await sql`CREATE INDEX timeline_hs_prefixes_idx ON timeline USING gin (hs_prefixes)`.execute(db)
  await sql`CREATE INDEX timeline_hs_codes_idx ON timeline USING gin (hs_codes)`.execute(db)
  await sql`CREATE INDEX timeline_type_idx ON timeline (event_type, occurred_on)`.execute(db)
  await sql`CREATE INDEX timeline_occurred_idx ON timeline (occurred_on, position)`.execute(db)
  await sql`CREATE INDEX timeline_aggregate_idx ON timeline (aggregate_id, aggregate_version)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE timeline`.execute(db)
  await sql`DROP TABLE timeline_subjects`.execute(db)
}
