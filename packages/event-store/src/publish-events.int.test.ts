import { useTestEnvironment } from '@tradewatch/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { errorCodes } from './errors.js'
import { createEventStore } from './event-store.js'
import { openEventPublisher } from './publish-events.js'
import { readAll } from './read-events.js'
import { ensureStreams } from './streams.js'
import { readStoredMessages, streamRef, testEvent } from './testing.js'

const env = useTestEnvironment()
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

beforeAll(async () => {
  const store = createEventStore({ db: env.db })
  await store.append(
    streamRef('published'),
    range(1, 12).map((n) => testEvent(n)),
  )
  await store.close()
})

const events = async (from: number, to: number) => (await readAll(env.db, from - 1, 1000)).filter((e) => e.position <= to)

describe('event publisher', () => {
  it('given batches in flight together, then each resolves once stored at its positions, and one out of place is refused with every batch after it', async () => {
    await ensureStreams(env.nc, env.prefix)
    const publisher = openEventPublisher(env.nc, env.prefix)
    try {
      // Two batches in flight at once, both stored in order.
      await Promise.all([publisher.publish(await events(1, 4)), publisher.publish(await events(5, 6))])
      // A batch that skips position 7 is refused, and so is the one pipelined behind it.
      const [skipping, behind] = [await events(8, 9), await events(10, 10)]
      const outcomes = await Promise.allSettled([publisher.publish(skipping), publisher.publish(behind)])
      expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: errorCodes.publishMismatch, message: expect.stringContaining('position 8') } })
      expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { code: errorCodes.publishMismatch, message: expect.stringContaining('position 10') } })
      // Published again, events already stored are acknowledged as the duplicates they are, at their positions.
      await publisher.publish(await events(5, 6))
      await publisher.publish(await events(7, 12))
    } finally {
      publisher.close()
    }
    const stored = await readStoredMessages(env.nc, env.prefix)
    expect(stored.map((m) => [m.seq, m.envelope.position])).toEqual(range(1, 12).map((p) => [p, p]))
    expect(stored.map((m) => m.msgId)).toEqual((await events(1, 12)).map((e) => e.id))
  })
})
