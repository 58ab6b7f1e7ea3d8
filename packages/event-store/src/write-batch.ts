import type { Database, Db } from '@tradewatch/db'
import { sql, type Transaction } from 'kysely'
import { appendedChannel, appendLockKey } from './advisory-key.js'
import { type BatchState, type KnownEvent, type Outcome, type PendingAppend, type PlannedRow, planBatch } from './plan-batch.js'

/**
 * Writes a group of appends in ONE transaction of four round trips (lock, read state, insert,
 * commit). The transaction-scoped advisory lock makes position order commit order: it is
 * released only once the commit is visible, so whoever reads `max(position)` next sees every
 * lower position committed.
 */
export async function writeBatch(db: Db, appends: readonly PendingAppend[]): Promise<Outcome[]> {
  return db.transaction().execute(async (trx) => {
    // Its own statement: under READ COMMITTED the next statement's snapshot is taken after the
    // lock is granted, so it sees the previous holder's commit.
    await sql`SELECT pg_advisory_xact_lock(${appendLockKey}::bigint)`.execute(trx)
    const { rows, outcomes } = planBatch(appends, await readState(trx, appends))
    if (rows.length > 0) await insertRows(trx, rows)
    return outcomes
  })
}

type Versions = [streamId: string, version: number][]
type Known = [key: string, eventId: string, version: number, position: string, streamId: string][]

/**
 * The head, the involved streams' versions and the already recorded keys, in one query. LATERAL
 * look-ups keep every part an index probe, whatever the planner's statistics.
 */
async function readState(trx: Transaction<Database>, appends: readonly PendingAppend[]): Promise<BatchState> {
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
         CROSS JOIN LATERAL (SELECT * FROM events WHERE idempotency_key = k.key OFFSET 0) e) AS known`.execute(trx)
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
// data and metadata travel as one JSON array each: they are JSON text already, and pg's array
// literal escaping of every quote cost more CPU than the rest of the append.
async function insertRows(trx: Transaction<Database>, rows: PlannedRow[]) {
  const head = rows[rows.length - 1]?.position ?? 0
  await sql`
    WITH inserted AS (
      INSERT INTO events (position, event_id, stream_id, aggregate_type, aggregate_id, version, type, schema_version, data, metadata, idempotency_key, recorded_at)
      SELECT * FROM ROWS FROM (
        unnest(${rows.map((r) => r.position)}::bigint[]),
        unnest(${rows.map((r) => r.id)}::uuid[]),
        unnest(${rows.map((r) => r.streamId)}::text[]),
        unnest(${rows.map((r) => r.aggregateType)}::text[]),
        unnest(${rows.map((r) => r.aggregateId)}::text[]),
        unnest(${rows.map((r) => r.version)}::integer[]),
        unnest(${rows.map((r) => r.type)}::text[]),
        unnest(${rows.map((r) => r.schemaVersion)}::integer[]),
        jsonb_array_elements(${jsonArray(rows.map((r) => r.data))}::jsonb),
        jsonb_array_elements(${jsonArray(rows.map((r) => r.metadata))}::jsonb),
        unnest(${rows.map((r) => r.idempotencyKey)}::text[]),
        unnest(${rows.map((r) => r.recordedAt.toISOString())}::timestamptz[])
      )
      RETURNING 1
    )
    SELECT pg_notify(${appendedChannel}, ${String(head)}) FROM (SELECT count(*) FROM inserted) c`.execute(trx)
}

const jsonArray = (texts: readonly string[]) => `[${texts.join(',')}]`
