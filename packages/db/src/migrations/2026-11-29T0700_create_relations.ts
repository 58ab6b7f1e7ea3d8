import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The folded state of every measure and agreement the relations projection has seen, so a batch can
  // evolve it without reading another projection's tables (each projection has its own checkpoint).
  await sql`
    CREATE TABLE relation_states (
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      state jsonb NOT NULL,
      last_position bigint NOT NULL,
      PRIMARY KEY (aggregate_type, aggregate_id)
    )`.execute(db)
  // One row per (imposer, partner, measure). Erga omnes measures have partner '*' and their exclusions in
  // `excluded`; queries expand them. A partner dropped from the scope keeps its row with in_scope false.
  await sql`
    CREATE TABLE relation_measures (
      imposer text NOT NULL,
      partner text NOT NULL,
      measure_id text NOT NULL,
      excluded text[] NOT NULL,
      in_scope boolean NOT NULL,
      kind text NOT NULL,
      direction text NOT NULL,
      status text NOT NULL,
      title text NOT NULL,
      rate_percent numeric,
      in_force_from date,
      ended_on date,
      last_position bigint NOT NULL,
      last_event_type text NOT NULL,
      last_occurred_at text NOT NULL,
      last_summary text NOT NULL,
      PRIMARY KEY (imposer, partner, measure_id)
    )`.execute(db)
  await sql`CREATE INDEX relation_measures_partner_idx ON relation_measures (partner, imposer)`.execute(db)
  // One row per ordered pair of parties per agreement, both directions.
  await sql`
    CREATE TABLE relation_agreements (
      party_a text NOT NULL,
      party_b text NOT NULL,
      agreement_id text NOT NULL,
      kind text NOT NULL,
      status text NOT NULL,
      title text NOT NULL,
      last_position bigint NOT NULL,
      last_event_type text NOT NULL,
      last_occurred_at text NOT NULL,
      last_summary text NOT NULL,
      PRIMARY KEY (party_a, party_b, agreement_id)
    )`.execute(db)
  await sql`CREATE INDEX relation_agreements_party_b_idx ON relation_agreements (party_b, party_a)`.execute(db)
  // Counted measure events per ordered pair and month (see relations/monthly-counts.ts). Erga omnes rows
  // keep the exclusions in force at the time in the key, so a month's count never applies to a spared party.
  await sql`
    CREATE TABLE relation_monthly (
      imposer text NOT NULL,
      partner text NOT NULL,
      excluded text[] NOT NULL,
      month date NOT NULL,
      restrictive_count integer NOT NULL,
      liberalising_count integer NOT NULL,
      PRIMARY KEY (imposer, partner, excluded, month)
    )`.execute(db)
  await sql`CREATE INDEX relation_monthly_partner_idx ON relation_monthly (partner, imposer)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE relation_monthly`.execute(db)
  await sql`DROP TABLE relation_agreements`.execute(db)
  await sql`DROP TABLE relation_measures`.execute(db)
  await sql`DROP TABLE relation_states`.execute(db)
}
