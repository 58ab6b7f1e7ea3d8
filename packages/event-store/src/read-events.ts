import type { Database, EventsTable } from '@tradewatch/db'
import type { RawEnvelope } from '@tradewatch/domain'
import { type Kysely, type Selectable, sql } from 'kysely'
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

/**
 * One index range scan per stream, whatever the statistics say (autovacuum may be off, or not
 * have analysed a fresh table yet): OFFSET 0 keeps the LATERAL from being flattened into a join
 * that a planner without statistics runs as a parallel sequential scan of every event.
 */
export const streamsQuery = (streamIds: readonly string[]) => sql<Selectable<EventsTable>>`
  SELECT e.* FROM unnest(${[...streamIds]}::text[]) WITH ORDINALITY AS s(stream_id, n)
  CROSS JOIN LATERAL (SELECT * FROM events WHERE events.stream_id = s.stream_id OFFSET 0) e
  ORDER BY s.n, e.version`

/** Several streams' events at once (one query), each in version order, keyed by stream id. */
export async function readStreams(db: Kysely<Database>, streamIds: readonly string[]): Promise<Map<string, RawEnvelope[]>> {
  const byStream = new Map<string, RawEnvelope[]>(streamIds.map((id) => [id, []]))
  if (streamIds.length === 0) return byStream
  const { rows } = await streamsQuery(streamIds).execute(db)
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

/** One unique-index probe per key, as for streams above. */
export const keysQuery = (keys: readonly string[]) => sql<Pick<Selectable<EventsTable>, 'idempotency_key' | 'event_id' | 'version' | 'position' | 'stream_id'>>`
  SELECT e.idempotency_key, e.event_id, e.version, e.position, e.stream_id
  FROM unnest(${[...keys]}::text[]) AS k(key)
  CROSS JOIN LATERAL (SELECT * FROM events WHERE events.idempotency_key = k.key OFFSET 0) e`

/** Events recorded under these idempotency keys. */
export async function findByIdempotencyKeys(db: Kysely<Database>, keys: readonly string[]) {
  if (keys.length === 0) return []
  const { rows } = await keysQuery(keys).execute(db)
  return rows.map((r) => ({ key: r.idempotency_key ?? '', eventId: r.event_id, version: r.version, position: Number(r.position), streamId: r.stream_id }))
}
