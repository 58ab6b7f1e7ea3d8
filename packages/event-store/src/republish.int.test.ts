import { streams, subjects } from '@tradewatch/domain'
import { useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { createEventStore } from './event-store.js'
import { startRelay } from './relay.js'
import { republish } from './republish.js'
import { ensureStreams } from './streams.js'
import { readStoredMessages, type StoredMessage, streamRef, testEvent, testLogger } from './testing.js'

const env = useTestEnvironment()
const logger = testLogger()
const total = 300
let original: StoredMessage[] = []

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function relayUntil(prefix: string, position: number) {
  const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix, logger, pollIntervalMs: 100 })
  try {
    await waitFor(`relay at ${position}`, () => relay.status().publishedPosition === position, 20_000)
  } finally {
    await relay.stop()
  }
}

beforeAll(async () => {
  const store = createEventStore({ db: env.db })
  for (let s = 0; s < 10; s++)
    await store.append(
      streamRef(`rebuild-${s}`),
      range(1, total / 10).map((n) => testEvent(n)),
    )
  await store.close()
  await relayUntil(env.prefix, total)
  original = await readStoredMessages(env.nc, env.prefix)
})

describe('republish', () => {
  it('rebuilds a purged stream identically from position 1', async () => {
    const jsm = await env.nc.jetstreamManager()
    await jsm.streams.purge(streams.events(env.prefix))
    expect(await republish({ db: env.db, nc: env.nc, prefix: env.prefix, from: 1, logger })).toEqual({ published: total })
    expect(await readStoredMessages(env.nc, env.prefix)).toEqual(original)
  })

  it('rebuilds a deleted stream identically from position 1', async () => {
    const jsm = await env.nc.jetstreamManager()
    await jsm.streams.delete(streams.events(env.prefix))
    await republish({ db: env.db, nc: env.nc, prefix: env.prefix, from: 1, logger })
    expect(await readStoredMessages(env.nc, env.prefix)).toEqual(original)
  })

  it('from N > 1 gives a stream whose first sequence is N, which the relay then extends', async () => {
    expect(await republish({ db: env.db, nc: env.nc, prefix: env.prefix, from: 101, logger })).toEqual({ published: total - 100 })
    const jsm = await env.nc.jetstreamManager()
    const { state } = await jsm.streams.info(streams.events(env.prefix))
    expect(state).toMatchObject({ first_seq: 101, last_seq: total, messages: total - 100 })
    expect(await readStoredMessages(env.nc, env.prefix)).toEqual(original.slice(100))
    const store = createEventStore({ db: env.db })
    await store.append(
      streamRef('after-rebuild'),
      range(1, 5).map((n) => testEvent(n)),
    )
    await store.close()
    await relayUntil(env.prefix, total + 5)
    const stored = await readStoredMessages(env.nc, env.prefix)
    expect(stored.map((m) => m.seq)).toEqual(range(101, total + 5))
    expect(stored.every((m) => m.envelope.position === m.seq)).toBe(true)
  })

  it('refuses to run while a relay leads, and outside 1..head+1', async () => {
    const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger })
    try {
      await waitFor('relay leads', () => relay.status().leader)
      await expect(republish({ db: env.db, nc: env.nc, prefix: env.prefix, from: 1, logger })).rejects.toMatchObject({ code: 'RELAY_RUNNING' })
    } finally {
      await relay.stop()
    }
    await expect(republish({ db: env.db, nc: env.nc, prefix: env.prefix, from: 10_000, logger })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  // Why republish does not simply purge with `seq` on NATS 2.9 (see recreateEventsStream).
  it('documents NATS 2.9: purge with seq on an empty stream moves first_seq but not the expected-last-sequence check', async (ctx) => {
    if (!env.nc.info?.version.startsWith('2.9.')) ctx.skip()
    const prefix = `${env.prefix}_p`
    await ensureStreams(env.nc, prefix)
    const jsm = await env.nc.jetstreamManager()
    await jsm.streams.purge(streams.events(prefix), { seq: 5 })
    expect((await jsm.streams.info(streams.events(prefix))).state).toMatchObject({ first_seq: 5, last_seq: 4, messages: 0 })
    const publish = env.nc.jetstream().publish(subjects.event(prefix, 'measure', 'x'), undefined, { expect: { lastSequence: 4 } })
    await expect(publish).rejects.toThrow(/wrong last sequence: 0/)
  })
})
