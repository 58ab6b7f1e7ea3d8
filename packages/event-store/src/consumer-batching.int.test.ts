import { useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterAll, describe, expect, it } from 'vitest'
import { advanceCheckpoint, readCheckpoint } from './checkpoints.js'
import { startConsumer } from './consumer.js'
import { createEventStore } from './event-store.js'
import { startRelay } from './relay.js'
import { sleep } from './sleep.js'
import { streamRef, testEvent, testLogger } from './testing.js'

const env = useTestEnvironment()
const logger = testLogger()
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

describe('consumer behind a stream that is still being written', () => {
  it('takes what arrived while a batch was applied as the next batch, instead of one event at a time', async () => {
    // Given a consumer whose batches take 20 ms, caught up on an empty stream
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
        await sleep(20)
        await env.db.transaction().execute((trx) => advanceCheckpoint(trx, 'live', checkpoint, batch[batch.length - 1]?.position ?? checkpoint))
      },
    })
    cleanups.push(() => consumer.stop())
    const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 5 })
    cleanups.push(() => relay.stop())
    const store = createEventStore({ db: env.db })
    cleanups.push(() => store.close())

    // When 400 events arrive one at a time over a second or two
    for (let n = 1; n <= 400; n++) {
      await store.append(streamRef('live'), [testEvent(n)])
      await sleep(2)
    }
    await waitFor('consumer caught up', async () => (await readCheckpoint(env.db, 'live')) === 400, 20_000)

    // Then every event came once and in order, in far fewer batches than events
    expect(batches.flat()).toEqual(Array.from({ length: 400 }, (_, i) => i + 1))
    // (One batch per event before: every message pushed while the stream grows says pending 0.)
    expect(batches.length).toBeLessThan(240)
  }, 60_000)
})
