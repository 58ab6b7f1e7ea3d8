import type { Database } from '@tradewatch/db'
import type { RawEnvelope } from '@tradewatch/domain'
import { type Kysely, sql } from 'kysely'
import { toEnvelope } from './to-envelope.js'

/** Up to `limit` events after position `after`, in position order. */
export async function readAll(db: Kysely<Database>, after: number, limit: number): Promise<RawEnvelope[]> {
  const rows = await db.selectFrom('events').selectAll().where('position', '>', String(after)).orderBy('position').limit(limit).execute()
  return rows.map(toEnvelope)
}

/** One stream's events from `fromVersion`, in version order. */
export async function readStream(db: Kysely<Database>, streamId: string, fromVersion: number): Promise<RawEnvelope[]> {
  const rows = await db.selectFrom('events').selectAll().where('stream_id', '=', streamId).where('version', '>=', fromVersion).orderBy('version').execute()
  return rows.map(toEnvelope)
}

/** Several streams' events at once (one query), each in version order, keyed by stream id. */
export async function readStreams(db: Kysely<Database>, streamIds: readonly string[]): Promise<Map<string, RawEnvelope[]>> {
  const byStream = new Map<string, RawEnvelope[]>(streamIds.map((id) => [id, []]))
  if (streamIds.length === 0) return byStream
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('stream_id', '=', sql<string>`ANY(${[...streamIds]}::text[])`)
    .orderBy('stream_id')
    .orderBy('version')
    .execute()
  for (const row of rows) byStream.get(row.stream_id)?.push(toEnvelope(row))
  return byStream
}

/**
 * The last committed position. Positions are assigned under the append lock in commit order,
 * so the visible maximum has no invisible rows below it.
 */
export async function readHead(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ head: string }>`SELECT coalesce(max(position), 0) AS head FROM events`.execute(db)
  return Number(rows[0]?.head ?? 0)
}

/** Events recorded under these idempotency keys. */
export async function findByIdempotencyKeys(db: Kysely<Database>, keys: readonly string[]) {
  if (keys.length === 0) return []
  const rows = await db
    .selectFrom('events')
    .select(['idempotency_key', 'event_id', 'version', 'position', 'stream_id'])
    .where('idempotency_key', '=', sql<string>`ANY(${[...keys]}::text[])`)
    .execute()
  return rows.map((r) => ({ key: r.idempotency_key ?? '', eventId: r.event_id, version: r.version, position: Number(r.position), streamId: r.stream_id }))
}
