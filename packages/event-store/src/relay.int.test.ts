import { Writable } from 'node:stream'
import { streams } from '@tradewatch/domain'
import { createLogger } from '@tradewatch/logger'
import { useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterAll, describe, expect, it } from 'vitest'
import { createEventStore } from './event-store.js'
import { type Relay, startRelay } from './relay.js'
import { readStoredMessages, streamRef, testEvent, testLogger } from './testing.js'

const env = useTestEnvironment()
const logger = testLogger()
const relays: Relay[] = []
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()))
})

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

function relay(prefix = env.prefix) {
  const started = startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix, logger, pollIntervalMs: 100 })
  void started.then((r) => relays.push(r))
  return started
}

/** Every stored message sits at the sequence equal to its position, carries its event id, and all positions 1..head are there. */
async function expectStreamMirrorsStore(prefix: string, head: number) {
  const stored = await readStoredMessages(env.nc, prefix)
  const all = await env.db.selectFrom('events').select(['position', 'event_id']).orderBy('position').execute()
  expect(stored.map((m) => m.seq)).toEqual(range(1, head))
  for (const [i, m] of stored.entries()) {
    const row = all[i]
    expect(m.envelope.position).toBe(m.seq)
    expect(m.positionHeader).toBe(String(m.seq))
    expect(m.msgId).toBe(row?.event_id)
    expect(m.envelope.id).toBe(row?.event_id)
  }
}

describe('relay', () => {
  it('publishes what 8 concurrent writers append exactly once, in position order, across a leader change', async () => {
    const store = createEventStore({ db: env.db })
    const first = await relay()
    const second = await relay()
    let restarted = false
    let stoppedAt = 0
    await Promise.all(
      range(1, 8).map(async (w) => {
        for (let a = 0; a < 100; a++) {
          await store.append(
            streamRef(`writer-${w}-${a % 5}`),
            range(1, 10).map((n) => testEvent(a * 10 + n)),
          )
          // Midway, stop whichever relay leads; the standby takes over and a third one joins.
          if (w === 1 && a === 50 && !restarted) {
            restarted = true
            const leader = await waitFor('a leader', () => [first, second].find((r) => r.status().leader))
            await leader.stop()
            stoppedAt = leader.status().publishedPosition
            await relay()
          }
        }
      }),
    )
    await store.close()
    const head = await store.head()
    expect(head).toBe(8000)
    expect(stoppedAt).toBeGreaterThan(0)
    expect(stoppedAt).toBeLessThan(head)
    const jsm = await env.nc.jetstreamManager()
    await waitFor('the stream to hold every event', async () => (await jsm.streams.info(streams.events(env.prefix))).state.last_seq === head, 30_000)
    expect(relays.filter((r) => r.status().leader)).toHaveLength(1)
    await expectStreamMirrorsStore(env.prefix, head)
  })

  it('restarts from the stream it already filled', async () => {
    const prefix = `${env.prefix}_b`
    const store = createEventStore({ db: env.db })
    const head = await store.head()
    const r1 = await relay(prefix)
    await waitFor('first relay caught up', () => r1.status().publishedPosition === head, 20_000)
    await r1.stop()
    await store.append(
      streamRef('after-restart'),
      range(1, 30).map((n) => testEvent(n)),
    )
    const r2 = await relay(prefix)
    await waitFor('second relay caught up', () => r2.status().publishedPosition === head + 30, 20_000)
    await r2.stop()
    await expectStreamMirrorsStore(prefix, head + 30)
  })

  it('backs off on publish errors and refills a stream that lost its events', async () => {
    const prefix = `${env.prefix}_c`
    const store = createEventStore({ db: env.db })
    const lines: { msg?: string }[] = []
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line))
        callback()
      },
    })
    const r = await startRelay({
      db: env.db,
      databaseUrl: env.databaseUrl,
      nc: env.nc,
      prefix,
      logger: createLogger({ service: 'test', destination }),
      pollIntervalMs: 100,
    })
    relays.push(r)
    const head = await store.head()
    await waitFor('relay caught up', () => r.status().publishedPosition === head, 20_000)
    const jsm = await env.nc.jetstreamManager()
    await jsm.streams.delete(streams.events(prefix))
    await store.append(
      streamRef('while-missing'),
      range(1, 5).map((n) => testEvent(n)),
    )
    await waitFor('the stream refilled from Postgres', () => r.status().publishedPosition === head + 5, 20_000)
    await r.stop()
    expect(lines.some((l) => l.msg === 'relay round failed, backing off')).toBe(true)
    await expectStreamMirrorsStore(prefix, head + 5)
  })
})
