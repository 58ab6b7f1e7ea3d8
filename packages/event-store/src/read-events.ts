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
 * Several streams' events, each in version order, and the events recorded under some idempotency
 * keys (rows with `n` null), in ONE query: ingest reads both before deciding, and a round trip
 * costs it more CPU than the query. One index probe per stream and per key, whatever the
 * statistics say (autovacuum may be off, or not have analysed a fresh table yet): OFFSET 0 keeps
 * each LATERAL from being flattened into a join that a planner without statistics runs as a
 * parallel sequential scan of every event.
 */
export const streamsAndKeysQuery = (streamIds: readonly string[], keys: readonly string[]) => sql<Selectable<EventsTable> & { n: string | null }>`
  SELECT s.n, e.* FROM unnest(${[...streamIds]}::text[]) WITH ORDINALITY AS s(stream_id, n)
  CROSS JOIN LATERAL (SELECT * FROM events WHERE events.stream_id = s.stream_id OFFSET 0) e
  UNION ALL
  SELECT NULL, e.* FROM unnest(${[...keys]}::text[]) AS k(key)
  CROSS JOIN LATERAL (SELECT * FROM events WHERE events.idempotency_key = k.key OFFSET 0) e
  ORDER BY n, version`

/** An event found by its idempotency key. */
export interface KeyedEvent {
  key: string
  eventId: string
  version: number
  position: number
  streamId: string
}

/** Streams' events keyed by stream id (an empty list for a stream without events), and the keys' events. */
export async function readStreamsAndKeys(
  db: Kysely<Database>,
  streamIds: readonly string[],
  keys: readonly string[],
): Promise<{ histories: Map<string, RawEnvelope[]>; known: KeyedEvent[] }> {
  const histories = new Map<string, RawEnvelope[]>(streamIds.map((id) => [id, []]))
  const known: KeyedEvent[] = []
  if (streamIds.length === 0 && keys.length === 0) return { histories, known }
  const { rows } = await streamsAndKeysQuery(streamIds, keys).execute(db)
  for (const row of rows) {
    if (row.n !== null) histories.get(row.stream_id)?.push(toEnvelope(row))
    else known.push({ key: row.idempotency_key ?? '', eventId: row.event_id, version: row.version, position: Number(row.position), streamId: row.stream_id })
  }
  return { histories, known }
}

/**
 * The last committed position. Positions are assigned under the append lock in commit order,
 * so the visible maximum has no invisible rows below it.
 */
export async function readHead(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ head: string }>`SELECT coalesce(max(position), 0) AS head FROM events`.execute(db)
  return Number(rows[0]?.head ?? 0)
}
