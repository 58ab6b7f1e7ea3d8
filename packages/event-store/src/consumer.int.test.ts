import { subjects } from '@tradewatch/domain'
import { useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { advanceCheckpoint, readCheckpoint } from './checkpoints.js'
import { type ConsumedMessage, type Consumer, type StartConsumerOptions, startConsumer } from './consumer.js'
import { deadLetter } from './dead-letter.js'
import { CheckpointConflictError } from './errors.js'
import { createEventStore } from './event-store.js'
import { startRelay } from './relay.js'
import { ensureStreams } from './streams.js'
import { streamRef, testEvent, testLogger } from './testing.js'

const env = useTestEnvironment()
const logger = testLogger()
const total = 100
const consumers: Consumer[] = []
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()))
})

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

beforeAll(async () => {
  await sql`CREATE TABLE applied (consumer text, position bigint, PRIMARY KEY (consumer, position))`.execute(env.db)
  const store = createEventStore({ db: env.db })
  for (let s = 0; s < 4; s++)
    await store.append(
      streamRef(`consumed-${s}`),
      range(1, total / 4).map((n) => testEvent(n)),
    )
  await store.close()
  const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 100 })
  await waitFor('relay caught up', () => relay.status().publishedPosition === total, 20_000)
  await relay.stop()
})

/** A projection-like handler: records what it applied and moves its checkpoint in one transaction. */
function projection(name: string, hooks: { before?: (batch: ConsumedMessage[], call: number) => Promise<void> | void } = {}) {
  const batches: number[][] = []
  let calls = 0
  const options: StartConsumerOptions = {
    nc: env.nc,
    prefix: env.prefix,
    name,
    logger,
    batchSize: 30,
    loadCheckpoint: () => readCheckpoint(env.db, name),
    handle: async (batch, { checkpoint }) => {
      batches.push(batch.map((m) => m.position))
      await hooks.before?.(batch, ++calls)
      await env.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('applied' as never)
          .values(batch.map((m) => ({ consumer: name, position: m.position })) as never)
          .execute()
        await advanceCheckpoint(trx, name, checkpoint, batch[batch.length - 1]?.position ?? checkpoint)
      })
    },
  }
  return { options, batches }
}

async function appliedPositions(name: string): Promise<number[]> {
  const { rows } = await sql<{ position: string }>`SELECT position FROM applied WHERE consumer = ${name} ORDER BY position`.execute(env.db)
  return rows.map((r) => Number(r.position))
}

async function start(options: StartConsumerOptions) {
  const consumer = await startConsumer(options)
  consumers.push(consumer)
  return consumer
}

describe('consumer', () => {
  it('delivers in strict order from checkpoint + 1, in batches committed with the checkpoint', async () => {
    await env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'ordered', 0, 20))
    const { options, batches } = projection('ordered')
    const consumer = await start(options)
    await waitFor('checkpoint at the end', async () => (await readCheckpoint(env.db, 'ordered')) === total)
    expect(batches.flat()).toEqual(range(21, total))
    expect(batches.every((b) => b.length <= 30)).toBe(true)
    expect(await appliedPositions('ordered')).toEqual(range(21, total))
    expect(consumer.status()).toEqual({ position: total, healthy: true })
  })

  it('retries the same batch after a failure: nothing skipped, nothing applied twice', async () => {
    const { options, batches } = projection('flaky', {
      before: (_batch, call) => {
        if (call === 2) throw new Error('connection lost')
      },
    })
    const consumer = await start(options)
    await waitFor('checkpoint at the end', async () => (await readCheckpoint(env.db, 'flaky')) === total)
    expect(batches[2]).toEqual(batches[1])
    expect(await appliedPositions('flaky')).toEqual(range(1, total))
    expect(consumer.status().healthy).toBe(true)
  })

  it('detects a checkpoint moved by another instance and restarts from it', async () => {
    const { options, batches } = projection('contended', {
      before: async (_batch, call) => {
        // Another instance commits positions 1..50 while this one is working on its first batch.
        if (call === 1) await env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'contended', 0, 50))
      },
    })
    await start(options)
    await waitFor('checkpoint at the end', async () => (await readCheckpoint(env.db, 'contended')) === total)
    expect(batches[0]?.[0]).toBe(1)
    expect(batches[1]?.[0]).toBe(51)
    expect(await appliedPositions('contended')).toEqual(range(51, total))
  })

  it('makes advanceCheckpoint a compare-and-set', async () => {
    await env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'cas', 0, 10))
    const stale = env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'cas', 0, 5))
    await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError)
    await expect(stale).rejects.toMatchObject({ code: 'CHECKPOINT_CONFLICT', expected: 0, actual: 10 })
    await expect(env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'cas', 7, 12))).rejects.toMatchObject({ actual: 10 })
    await env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'cas', 10, 12))
    expect(await readCheckpoint(env.db, 'cas')).toBe(12)
  })

  it('hands over an invalid payload as error and as received (its text, or its JSON value), which the handler can dead-letter', async () => {
    const prefix = `${env.prefix}_x`
    await ensureStreams(env.nc, prefix)
    const js = env.nc.jetstream()
    await js.publish(subjects.event(prefix, 'measure', 'broken'), 'not json')
    await js.publish(subjects.event(prefix, 'measure', 'broken'), JSON.stringify({ id: 'nope', position: 2 }))
    const received: ConsumedMessage[] = []
    await start({
      nc: env.nc,
      prefix,
      name: 'poison',
      logger,
      loadCheckpoint: () => readCheckpoint(env.db, 'poison'),
      handle: async (batch, { checkpoint }) => {
        received.push(...batch)
        await env.db.transaction().execute(async (trx) => {
          for (const m of batch)
            await deadLetter(trx, { consumer: 'poison', position: m.position, reason: m.error ?? '', attempts: 1, payload: m.raw, eventId: 'nope' })
          await advanceCheckpoint(trx, 'poison', checkpoint, batch[batch.length - 1]?.position ?? checkpoint)
        })
      },
    })
    await waitFor('both delivered', () => received.length === 2)
    expect(received[0]).toMatchObject({ position: 1, raw: 'not json', error: expect.stringMatching(/invalid JSON/) })
    expect(received[1]).toMatchObject({ position: 2, raw: { id: 'nope', position: 2 }, error: expect.stringMatching(/Invalid event envelope/) })
    expect(received.every((m) => m.envelope === undefined)).toBe(true)
    // Received before the handler's transaction commits: wait for the commit, not the delivery.
    const letters = await waitFor('both dead-lettered', async () => {
      const rows = await env.db.selectFrom('dead_letters').selectAll().where('consumer', '=', 'poison').orderBy('position').execute()
      return rows.length === 2 && rows
    })
    expect(letters.map((l) => [Number(l.position), l.event_id, l.payload])).toEqual([
      [1, null, 'not json'],
      [2, null, { id: 'nope', position: 2 }],
    ])
  })
})
