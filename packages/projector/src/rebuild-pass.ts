import type { Database, Db } from '@tradewatch/db'
import { type EventEnvelope, parseEnvelope } from '@tradewatch/domain'
import { toEnvelope } from '@tradewatch/event-store'
import { sql, type Transaction } from 'kysely'
import type { ShadowLoad, StoredEvent } from './rebuild-shadow.js'

/**
 * Brings each shadow from its position to its target in one read of the event store: each batch is read
 * and parsed once, for all of them. From the pool, each shadow applies a batch in its own transaction on
 * its own connection, all at once, while the next batch is read (Postgres works beside Node). Through the
 * swap's transaction, one after the other and read through it too: a pool connection could be held by a
 * live batch waiting for the lock that transaction holds.
 */
export async function applyPass(db: Db, via: Db | Transaction<Database>, shadows: readonly ShadowLoad[], batchSize: number): Promise<void> {
  const moving = shadows.filter((s) => s.target > s.position)
  if (moving.length === 0) return
  for (const shadow of moving) shadow.skipped = await deadLettered(via, shadow.name, shadow.position)
  const pooled = via === db
  const to = Math.max(...moving.map((s) => s.target))
  const read = (after: number) => {
    const rows = readEvents(via, after, to, batchSize)
    // Read ahead: when an apply fails first, nothing awaits this read, and its failure must not end the process as unhandled.
    rows.catch(() => undefined)
    return rows
  }
  let next = read(Math.min(...moving.map((s) => s.position)))
  for (let batch = await next; batch.length > 0; batch = await next) {
    const last = (batch[batch.length - 1] as StoredEvent).position
    const step = async (shadow: ShadowLoad, apply: (events: EventEnvelope[]) => Promise<void>) => {
      const events = shadow.take(batch)
      if (events.length > 0) await apply(events)
      shadow.advance(last, events.length)
    }
    if (pooled) {
      next = read(last)
      await settleAll(moving.map((shadow) => step(shadow, (events) => db.transaction().execute((trx) => applyToShadow(trx, shadow, events)))))
    } else {
      for (const shadow of moving) await step(shadow, (events) => shadow.apply(via as Transaction<Database>, events))
      next = read(last)
    }
  }
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
