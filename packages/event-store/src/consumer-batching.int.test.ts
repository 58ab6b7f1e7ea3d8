import { streams } from '@tradewatch/domain'
import { useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { advanceCheckpoint, readCheckpoint } from './checkpoints.js'
import { startConsumer } from './consumer.js'
import { createEventStore } from './event-store.js'
import { startRelay } from './relay.js'
import { sleep } from './sleep.js'
import { streamRef, testEvent, testLogger } from './testing.js'

const env = useTestEnvironment()
const logger = testLogger()
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('consumer behind a stream that is still being written', () => {
  it('takes what arrived while a batch was applied as the next batch, instead of one event at a time', async () => {
    // Given a consumer whose batches take 100 ms, caught up on an empty stream
    const batches: number[][] = []
    const consumer = await startConsumer({
      nc: env.nc,
      prefix: env.prefix,
      name: 'live',
      logger,
      batchSize: 500,
      loadCheckpoint: () => readCheckpoint(env.db, 'live'),
      handle: async (batch, { checkpoint }) => {
        batches.push(batch.map((m) => m.position))
        await sleep(100)
        await env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'live', checkpoint, batch[batch.length - 1]?.position ?? checkpoint))
      },
    })
    cleanups.push(() => consumer.stop())
    const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 5 })
    cleanups.push(() => relay.stop())
    const store = createEventStore({ db: env.db })
    cleanups.push(() => store.close())

    // When 400 events arrive one at a time over a few seconds
    for (let n = 1; n <= 400; n++) {
      await store.append(streamRef('live'), [testEvent(n)])
      await sleep(2)
    }
    await waitFor('consumer caught up', async () => (await readCheckpoint(env.db, 'live')) === 400, 20_000)

    // Then every event came once and in order, in far fewer batches than events
    expect(batches.flat()).toEqual(Array.from({ length: 400 }, (_, i) => i + 1))
    // (One batch per event before: every message pushed while the stream grows says pending 0.)
    expect(batches.length).toBeLessThan(200)
  }, 60_000)

  it('keeps only a few batches ahead of what it applied when far behind the stream, and still applies all in order', async () => {
    // Given 3,000 events in the stream and a consumer of 50-event batches that take 10 ms each
    const store = createEventStore({ db: env.db })
    const before = await store.head()
    const head = before + 3_000
    for (let n = 0; n < 3_000; n += 500)
      await store.append(
        streamRef(`backlog-${n}`),
        Array.from({ length: 500 }, (_, i) => testEvent(n + i)),
      )
    await store.close()
    const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 5 })
    await waitFor('relayed', () => relay.status().publishedPosition >= head, 30_000)
    await relay.stop()
    if (before > 0) await env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'backlog', 0, before))
    const jsm = await env.nc.jetstreamManager()
    const applied: number[] = []
    let furthestAhead = 0
    const consumer = await startConsumer({
      nc: env.nc,
      prefix: env.prefix,
      name: 'backlog',
      logger,
      batchSize: 50,
      loadCheckpoint: () => readCheckpoint(env.db, 'backlog'),
      handle: async (batch, { checkpoint }) => {
        applied.push(...batch.map((m) => m.position))
        // What the server has pushed to this process beyond what it applied.
        for await (const info of jsm.consumers.list(streams.events(env.prefix))) furthestAhead = Math.max(furthestAhead, info.delivered.stream_seq - checkpoint)
        await sleep(10)
        await env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'backlog', checkpoint, batch[batch.length - 1]?.position ?? checkpoint))
      },
    })
    cleanups.push(() => consumer.stop())

    // When it catches up
    await waitFor('consumer caught up', async () => (await readCheckpoint(env.db, 'backlog')) === head, 60_000)

    // Then it applied each once in order, never holding more than a few batches it had not applied
    expect(applied).toEqual(Array.from({ length: 3_000 }, (_, i) => before + 1 + i))
    expect(furthestAhead).toBeLessThan(600)
  }, 90_000)
})
