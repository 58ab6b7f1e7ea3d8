import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // One row per measure event instead of one growing array per measure: a batch appends its events rather than
  // rewriting each touched measure's whole history (quadratic in a long-lived measure's events).
  await sql`ALTER TABLE tariff_line_inputs RENAME TO tariff_line_inputs_by_measure`.execute(db)
  await sql`
    CREATE TABLE tariff_line_inputs (
      measure_id text NOT NULL,
      version integer NOT NULL,
      position bigint NOT NULL,
      event jsonb NOT NULL,
      PRIMARY KEY (measure_id, version)
    )`.execute(db)
  await sql`
    INSERT INTO tariff_line_inputs (measure_id, version, position, event)
    SELECT measure_id, (e ->> 'version')::integer, (e ->> 'position')::bigint, e
    FROM tariff_line_inputs_by_measure, jsonb_array_elements(events) AS e`.execute(db)
  await sql`DROP TABLE tariff_line_inputs_by_measure`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tariff_line_inputs RENAME TO tariff_line_inputs_per_event`.execute(db)
  await sql`
    CREATE TABLE tariff_line_inputs (
      measure_id text PRIMARY KEY,
      events jsonb NOT NULL,
      version integer NOT NULL,
      last_position bigint NOT NULL
    )`.execute(db)
  await sql`
    INSERT INTO tariff_line_inputs (measure_id, events, version, last_position)
    SELECT measure_id, jsonb_agg(event ORDER BY version), max(version), max(position)
    FROM tariff_line_inputs_per_event GROUP BY measure_id`.execute(db)
  await sql`DROP TABLE tariff_line_inputs_per_event`.execute(db)
}
