import type { Database, Db } from '@tradewatch/db'
import { type Kysely, sql } from 'kysely'
import { appendedChannel, appendLockKey } from './advisory-key.js'
import { type BatchState, type KnownEvent, type Outcome, type PendingAppend, type PlannedRow, planBatch } from './plan-batch.js'

/**
 * Writes a group of appends in ONE transaction of three round trips: begin and lock, read state,
 * insert and commit. The transaction-scoped advisory lock makes position order commit order: it
 * is released only once the commit is visible, so whoever reads `max(position)` next sees every
 * lower position committed. Round trips, not Postgres's work, set the pace of small groups:
 * each one waits for a backend to be scheduled, and kysely's own BEGIN and COMMIT were two more.
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
      await sql.raw(rows.length > 0 ? `${insertStatement(rows)}; COMMIT` : 'COMMIT').execute(conn)
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
// The rows travel inline as one JSON document, so the COMMIT can follow in the same message:
// data and metadata are JSON text already and are spliced in as they are, each in an array,
// since a JSON null field would become SQL NULL, not the jsonb null it is.
function insertStatement(rows: PlannedRow[]): string {
  const head = rows[rows.length - 1]?.position ?? 0
  return `WITH inserted AS (
      INSERT INTO events (position, event_id, stream_id, aggregate_type, aggregate_id, version, type, schema_version, data, metadata, idempotency_key, recorded_at)
      SELECT position, event_id, stream_id, aggregate_type, aggregate_id, version, type, schema_version, data -> 0, metadata -> 0, idempotency_key, recorded_at
      FROM json_to_recordset(${literal(rowsJson(rows))}::json) AS r(
        position bigint, event_id uuid, stream_id text, aggregate_type text, aggregate_id text, version integer,
        type text, schema_version integer, data jsonb, metadata jsonb, idempotency_key text, recorded_at timestamptz)
      RETURNING 1
    )
    SELECT pg_notify(${literal(appendedChannel)}, ${literal(String(head))}) FROM (SELECT count(*) FROM inserted) c`
}

function rowsJson(rows: readonly PlannedRow[]): string {
  let out = '['
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as PlannedRow
    out +=
      `${i > 0 ? ',' : ''}{"position":${r.position},"event_id":${text(r.id)},"stream_id":${text(r.streamId)},` +
      `"aggregate_type":${text(r.aggregateType)},"aggregate_id":${text(r.aggregateId)},"version":${r.version},"type":${text(r.type)},` +
      `"schema_version":${r.schemaVersion},"data":[${r.data}],"metadata":[${r.metadata}],` +
      `"idempotency_key":${r.idempotencyKey === null ? 'null' : text(r.idempotencyKey)},"recorded_at":"${r.recordedAt.toISOString()}"}`
  }
  return `${out}]`
}

// A lone surrogate becomes U+FFFD, as pg's UTF-8 encoding of a parameter made it (JSON escapes
// it as \udxxx, which Postgres refuses). Only a string whose JSON shows such an escape is scanned.
function text(value: string): string {
  const json = JSON.stringify(value)
  return json.includes('\\ud') ? JSON.stringify(value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD')) : json
}

// E'' doubles backslashes and quotes whatever standard_conforming_strings says. JSON.stringify
// escapes control characters, so no NUL can end the message early.
const literal = (value: string) => `E'${value.replace(/[\\']/g, '$&$&')}'`
