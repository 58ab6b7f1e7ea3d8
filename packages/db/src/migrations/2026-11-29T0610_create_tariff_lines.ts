import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The projection's own memory: each measure's events so far, from which its lines are recomputed.
  await sql`
    CREATE TABLE tariff_line_inputs (
      measure_id text PRIMARY KEY,
      events jsonb NOT NULL,
      version integer NOT NULL,
      last_position bigint NOT NULL
    )`.execute(db)
  // Bitemporal: valid_* is world time (half-open dates), recorded_* is knowledge time (half-open
  // instants). A row's content never changes; a new fact closes it (recorded_to) and inserts its successor.
  // hs_prefix is in the C collation so a prefix search is a btree range scan.
  await sql`
    CREATE TABLE tariff_lines (
      line_id text PRIMARY KEY,
      measure_id text NOT NULL,
      imposer text NOT NULL,
      origin text NOT NULL,
      excluded_origins text[] NOT NULL,
      hs_prefix text COLLATE "C" NOT NULL,
      line_kind text NOT NULL,
      nomenclature text,
      kind text NOT NULL,
      direction text NOT NULL,
      authority text,
      rate jsonb,
      rate_percent numeric,
      exemptions jsonb NOT NULL,
      quotas jsonb NOT NULL,
      valid_from date NOT NULL,
      valid_to date,
      recorded_from timestamptz NOT NULL,
      recorded_to timestamptz,
      opened_position bigint NOT NULL,
      closed_position bigint,
      valid daterange GENERATED ALWAYS AS (daterange(valid_from, valid_to, '[)')) STORED,
      recorded tstzrange GENERATED ALWAYS AS (tstzrange(recorded_from, recorded_to, '[)')) STORED,
      CHECK (valid_to IS NULL OR valid_to > valid_from),
      CHECK (recorded_to IS NULL OR recorded_to >= recorded_from)
    )`.execute(db)
  // Lookups name an imposer, an origin and a product: that equality prefix is far more selective than
  // either range, so a btree finds a handful of rows and the ranges are checked on those.
  await sql`CREATE INDEX tariff_lines_lookup_idx ON tariff_lines (imposer, origin, hs_prefix, valid_from)`.execute(db)
  // Date-only questions (everything in force on D as known at K) scan by the two ranges.
  await sql`CREATE INDEX tariff_lines_ranges_idx ON tariff_lines USING gist (valid, recorded)`.execute(db)
  // The projection reads each measure's current knowledge rows.
  await sql`CREATE INDEX tariff_lines_current_idx ON tariff_lines (measure_id) WHERE recorded_to IS NULL`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE tariff_lines`.execute(db)
  await sql`DROP TABLE tariff_line_inputs`.execute(db)
}
