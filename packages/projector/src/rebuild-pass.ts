import type { Database, Db } from '@tradewatch/db'
import { type EventEnvelope, parseEnvelope } from '@tradewatch/domain'
import { toEnvelope } from '@tradewatch/event-store'
import { sql, type Transaction } from 'kysely'
import { ReadAhead } from './read-ahead.js'
import type { ShadowLoad, StoredEvent } from './rebuild-shadow.js'

// Batches a shadow may run ahead of the slowest one: each held batch is up to `batchSize` parsed events.
const aheadBatches = 2

/**
 * Brings each shadow from its position to its target in one read of the event store: each batch is read
 * and parsed once, for all of them. From the pool, each shadow applies its batches in its own transactions on
 * its own connection, at its own pace (a few batches ahead of the slowest at most), while the next batch is read
 * (Postgres works beside Node). Through the swap's transaction, one after the other and read through it too: a
 * pool connection could be held by a live batch waiting for the lock that transaction holds.
 */
export async function applyPass(db: Db, via: Db | Transaction<Database>, shadows: readonly ShadowLoad[], batchSize: number): Promise<void> {
  const moving = shadows.filter((s) => s.target > s.position)
  if (moving.length === 0) return
  for (const shadow of moving) shadow.skipped = await deadLettered(via, shadow.name, shadow.position)
  const to = Math.max(...moving.map((s) => s.target))
  const from = Math.min(...moving.map((s) => s.position))
  const step = async (shadow: ShadowLoad, batch: readonly StoredEvent[], apply: (events: EventEnvelope[]) => Promise<void>) => {
    const events = shadow.take(batch)
    if (events.length > 0) await apply(events)
    shadow.advance((batch[batch.length - 1] as StoredEvent).position, events.length)
  }
  if (via !== db) {
    const trx = via as Transaction<Database>
    for (
      let batch = await readEvents(trx, from, to, batchSize);
      batch.length > 0;
      batch = await readEvents(trx, batch[batch.length - 1]?.position ?? to, to, batchSize)
    )
      for (const shadow of moving) await step(shadow, batch, (events) => shadow.apply(trx, events))
    return
  }
  // Each shadow goes through the batches at its own pace, a few ahead of the slowest at most, so none waits for
  // the slowest at every batch; the stop flag ends the others' loops once one has failed.
  const batches = new ReadAhead(moving.length, (after) => readEvents(db, after, to, batchSize), from, aheadBatches)
  let failed = false
  await settleAll(
    moving.map(async (shadow, reader) => {
      try {
        for (let index = 0; !failed && shadow.position < shadow.target; index++) {
          const batch = await batches.batch(index)
          if (batch.length === 0) break
          await step(shadow, batch, (events) => db.transaction().execute((trx) => applyToShadow(trx, shadow, events)))
          batches.done(reader, index)
        }
      } catch (err) {
        failed = true
        throw err
      } finally {
        batches.done(reader, Number.POSITIVE_INFINITY)
      }
    }),
  )
}

/**
 * Shadow tables serve no reader until the swap, and a crash fails the rebuild (its shadow schemas are dropped
 * and made again), so their batches need not wait for the WAL flush. The swap's transaction does.
 */
async function applyToShadow(trx: Transaction<Database>, shadow: ShadowLoad, events: EventEnvelope[]): Promise<void> {
  await sql`SET LOCAL synchronous_commit = off`.execute(trx)
  await shadow.apply(trx, events)
}

/** Waits for every apply (none is left running on its connection), then throws the first failure. */
async function settleAll(applies: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(applies)).find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
}

/**
 * Events after `after` up to `to`, validated and upcast as the live consumer does; one that fails
 * validation is `{ position }` alone (the live projection dead-letters it, the rebuild skips it).
 */
async function readEvents(db: Db | Transaction<Database>, after: number, to: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('position', '>', String(after))
    .where('position', '<=', String(to))
    .orderBy('position')
    .limit(limit)
    .execute()
  return rows.map((row) => {
    try {
      return parseEnvelope(toEnvelope(row))
    } catch {
      return { position: Number(row.position) }
    }
  })
}

async function deadLettered(db: Db | Transaction<Database>, consumer: string, after: number): Promise<Set<number>> {
  const rows = await db.selectFrom('dead_letters').select('position').where('consumer', '=', consumer).where('position', '>', String(after)).execute()
  return new Set(rows.map((r) => Number(r.position)))
}
