import type { Database, Db } from '@tradewatch/db'
import { type Kysely, sql } from 'kysely'
import { appendedChannel, appendLockKey } from './advisory-key.js'
import { type BatchState, type KnownEvent, type Outcome, type PendingAppend, type PlannedRow, planBatch } from './plan-batch.js'

/**
 * Writes a group of appends in ONE transaction of four round trips: begin and lock, read state,
 * insert, commit. The transaction-scoped advisory lock makes position order commit order: it
 * is released only once the commit is visible, so whoever reads `max(position)` next sees every
 * lower position committed. Round trips, not Postgres's work, set the pace of small groups:
 * each one waits for a backend to be scheduled, and kysely's own BEGIN was one more.
 */
export async function writeBatch(db: Db, claim: () => readonly PendingAppend[]): Promise<Outcome[]> {
  return db.connection().execute(async (conn) => {
    try {
      // No parameters, so one simple-protocol message. The lock is its own statement: under
      // READ COMMITTED the next statement's snapshot is taken after it is granted, so it sees
      // the previous holder's commit.
      await sql.raw(`BEGIN; SELECT pg_advisory_xact_lock(${appendLockKey}::bigint)`).execute(conn)
      // Taken only now, so the group holds whatever arrived while this transaction waited.
      const appends = claim()
      const { rows, outcomes } = planBatch(appends, await readState(conn, appends))
      // Values go as parameters only, so the insert cannot share a message with the COMMIT.
      if (rows.length > 0) await insertStatement(rows).execute(conn)
      await sql.raw('COMMIT').execute(conn)
      return outcomes
    } catch (err) {
      // A statement that failed skipped the rest of its message: the transaction is still open.
      // A ROLLBACK that fails too means a lost connection, which the pool drops; the first error
      // is the one that says what happened.
      await sql
        .raw('ROLLBACK')
        .execute(conn)
        .catch(() => {})
      throw err
    }
  })
}

type Versions = [streamId: string, version: number][]
type Known = [key: string, eventId: string, version: number, position: string, streamId: string][]

/**
 * The head, the involved streams' versions and the already recorded keys, in one query. LATERAL
 * look-ups keep every part an index probe, whatever the planner's statistics.
 */
async function readState(conn: Kysely<Database>, appends: readonly PendingAppend[]): Promise<BatchState> {
  const streamIds = [...new Set(appends.map((a) => a.streamId))]
  const keys = [...new Set(appends.flatMap((a) => a.events.flatMap((e) => (e.idempotencyKey === null ? [] : [e.idempotencyKey]))))]
  const { rows } = await sql<{ head: string; versions: Versions; known: Known }>`
    SELECT
      (SELECT coalesce(max(position), 0) FROM events) AS head,
      (SELECT coalesce(json_agg(json_build_array(s.id, v.version)), '[]')
         FROM unnest(${streamIds}::text[]) AS s(id)
         CROSS JOIN LATERAL (SELECT max(version) AS version FROM events WHERE stream_id = s.id) v
         WHERE v.version IS NOT NULL) AS versions,
      (SELECT coalesce(json_agg(json_build_array(e.idempotency_key, e.event_id, e.version, e.position::text, e.stream_id)), '[]')
         FROM unnest(${keys}::text[]) AS k(key)
         CROSS JOIN LATERAL (SELECT * FROM events WHERE idempotency_key = k.key OFFSET 0) e) AS known`.execute(conn)
  const state = rows[0]
  return {
    head: Number(state?.head ?? 0),
    versions: new Map(state?.versions ?? []),
    known: new Map(
      (state?.known ?? []).map(([key, eventId, version, position, streamId]): [string, KnownEvent] => [
        key,
        { eventId, version, position: Number(position), streamId },
      ]),
    ),
  }
}

// One multi-row statement for the whole group, which also wakes the relay (delivered on commit).
// Each column travels as one JSON array parameter: ~22 µs a row for Postgres, as cheap as unnest
// arrays, and data and metadata are JSON text already, joined as they are.
function insertStatement(rows: readonly PlannedRow[]) {
  const head = rows[rows.length - 1]?.position ?? 0
  const column = <T>(pick: (r: PlannedRow) => T) => JSON.stringify(rows.map(pick))
  const texts = (pick: (r: PlannedRow) => string | null) => textArray(rows.map(pick))
  return sql`WITH inserted AS (
      INSERT INTO events (position, event_id, stream_id, aggregate_type, aggregate_id, version, type, schema_version, data, metadata, idempotency_key, recorded_at)
      SELECT p::bigint, id::uuid, s, at, ai, v::integer, t, sv::integer, d, m, k, ra::timestamptz FROM ROWS FROM (
        json_array_elements_text(${column((r) => r.position)}::json),
        json_array_elements_text(${texts((r) => r.id)}::json),
        json_array_elements_text(${texts((r) => r.streamId)}::json),
        json_array_elements_text(${texts((r) => r.aggregateType)}::json),
        json_array_elements_text(${texts((r) => r.aggregateId)}::json),
        json_array_elements_text(${column((r) => r.version)}::json),
        json_array_elements_text(${texts((r) => r.type)}::json),
        json_array_elements_text(${column((r) => r.schemaVersion)}::json),
        jsonb_array_elements(${`[${rows.map((r) => r.data).join(',')}]`}::jsonb),
        jsonb_array_elements(${`[${rows.map((r) => r.metadata).join(',')}]`}::jsonb),
        json_array_elements_text(${texts((r) => r.idempotencyKey)}::json),
        json_array_elements_text(${column((r) => r.recordedAt.toISOString())}::json)
      ) AS r(p, id, s, at, ai, v, t, sv, d, m, k, ra)
      RETURNING 1
    )
    SELECT pg_notify(${appendedChannel}, ${String(head)}) FROM (SELECT count(*) FROM inserted) c`
}

// A lone surrogate becomes U+FFFD, as pg's UTF-8 encoding of a text parameter makes it (JSON escapes
// it as \udxxx, which Postgres refuses to turn into text). Only JSON showing such an escape is redone.
function textArray(values: readonly (string | null)[]): string {
  const json = JSON.stringify(values)
  return json.includes('\\ud') ? JSON.stringify(values.map((v) => v?.replace(/[\uD800-\uDFFF]/gu, '\uFFFD') ?? null)) : json
}
