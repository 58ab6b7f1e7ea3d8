import type { Database, Db } from '@tradewatch/db'
import { sql, type Transaction } from 'kysely'
import { appendedChannel, appendLockKey } from './advisory-key.js'
import { type KnownEvent, type Outcome, type PendingAppend, type PlannedRow, planBatch } from './plan-batch.js'

/**
 * Writes a group of appends in ONE transaction. The transaction-scoped advisory lock makes
 * position order commit order: it is released only once the commit is visible, so whoever
 * reads `max(position)` next sees every lower position committed.
 */
export async function writeBatch(db: Db, appends: readonly PendingAppend[]): Promise<Outcome[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${appendLockKey}::bigint)`.execute(trx)
    const streamIds = [...new Set(appends.map((a) => a.streamId))]
    const keys = [...new Set(appends.flatMap((a) => a.events.flatMap((e) => (e.idempotencyKey === null ? [] : [e.idempotencyKey]))))]

    const head = await sql<{ head: string }>`SELECT coalesce(max(position), 0) AS head FROM events`.execute(trx)
    const versions = await sql<{ stream_id: string; version: number }>`
      SELECT stream_id, max(version) AS version FROM events WHERE stream_id = ANY(${streamIds}::text[]) GROUP BY 1`.execute(trx)
    const known = new Map<string, KnownEvent>()
    if (keys.length > 0) {
      const found = await sql<{ idempotency_key: string; event_id: string; version: number; position: string; stream_id: string }>`
        SELECT idempotency_key, event_id, version, position, stream_id FROM events WHERE idempotency_key = ANY(${keys}::text[])`.execute(trx)
      for (const r of found.rows) known.set(r.idempotency_key, { eventId: r.event_id, version: r.version, position: Number(r.position), streamId: r.stream_id })
    }

    const { rows, outcomes } = planBatch(appends, {
      head: Number(head.rows[0]?.head ?? 0),
      versions: new Map(versions.rows.map((r) => [r.stream_id, r.version])),
      known,
    })
    if (rows.length > 0) {
      await insertRows(trx, rows)
      const last = rows[rows.length - 1]?.position ?? 0
      await sql`SELECT pg_notify(${appendedChannel}, ${String(last)})`.execute(trx)
    }
    return outcomes
  })
}

// One multi-row statement for the whole group: one round trip, whatever the batch size.
async function insertRows(trx: Transaction<Database>, rows: PlannedRow[]) {
  await sql`
    INSERT INTO events (position, event_id, stream_id, aggregate_type, aggregate_id, version, type, schema_version, data, metadata, idempotency_key, recorded_at)
    SELECT * FROM unnest(
      ${rows.map((r) => r.position)}::bigint[],
      ${rows.map((r) => r.id)}::uuid[],
      ${rows.map((r) => r.streamId)}::text[],
      ${rows.map((r) => r.aggregateType)}::text[],
      ${rows.map((r) => r.aggregateId)}::text[],
      ${rows.map((r) => r.version)}::integer[],
      ${rows.map((r) => r.type)}::text[],
      ${rows.map((r) => r.schemaVersion)}::integer[],
      ${rows.map((r) => r.data)}::jsonb[],
      ${rows.map((r) => r.metadata)}::jsonb[],
      ${rows.map((r) => r.idempotencyKey)}::text[],
      ${rows.map((r) => r.recordedAt.toISOString())}::timestamptz[]
    )`.execute(trx)
}
