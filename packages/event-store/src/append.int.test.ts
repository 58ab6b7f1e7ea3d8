import { createDb } from '@tradewatch/db'
import { eventCatalogue } from '@tradewatch/domain'
import { freePort, useTestEnvironment } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { createEventStore } from './event-store.js'
import { streamRef, testEvent } from './testing.js'
import type { EventStore } from './types.js'

const env = useTestEnvironment()
const stores: EventStore[] = []
const open = (maxBatchEvents?: number) => {
  const store = createEventStore({ db: env.db, ...(maxBatchEvents ? { maxBatchEvents } : {}) })
  stores.push(store)
  return store
}
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()))
})

async function positions(): Promise<number[]> {
  const { rows } = await sql<{ position: string }>`SELECT position FROM events ORDER BY position`.execute(env.db)
  return rows.map((r) => Number(r.position))
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('append', () => {
  it('lets exactly one of two concurrent appends at the same expected version win', async () => {
    const store = open()
    const stream = streamRef('race')
    await store.append(stream, [testEvent(1), testEvent(2)], { expectedVersion: 'no_stream' })
    const results = await Promise.allSettled([
      store.append(stream, [testEvent(3)], { expectedVersion: 2 }),
      store.append(stream, [testEvent(4)], { expectedVersion: 2 }),
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(lost[0]?.reason).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId: 'measure-race', expected: 2, actual: 3 })
    expect((await store.readStream(stream)).map((e) => e.aggregateVersion)).toEqual([1, 2, 3])
  })

  it('checks no_stream, 0 and exact versions, and lets any through', async () => {
    const store = open()
    const stream = streamRef('versions')
    await store.append(stream, [testEvent(1)], { expectedVersion: 0 })
    await expect(store.append(stream, [testEvent(2)], { expectedVersion: 'no_stream' })).rejects.toMatchObject({ actual: 1 })
    await expect(store.append(stream, [testEvent(2)], { expectedVersion: 5 })).rejects.toMatchObject({ expected: 5, actual: 1 })
    const result = await store.append(stream, [testEvent(2)])
    expect(result).toMatchObject({ streamId: 'measure-versions', currentVersion: 2, events: [{ version: 2, status: 'appended' }] })
  })

  it('records an idempotency key once, however often and concurrently it is appended', async () => {
    const store = open()
    const stream = streamRef('idempotent')
    const event = testEvent(1, { idempotencyKey: 'source:https://example.org/1' })
    const first = await store.append(stream, [event], { expectedVersion: 'no_stream' })
    const again = await Promise.all([
      // Retries of the same request: all duplicates, so the stale expected version is not checked.
      store.append(stream, [testEvent(1, { idempotencyKey: 'source:https://example.org/1' })], { expectedVersion: 'no_stream' }),
      store.append(stream, [testEvent(1, { idempotencyKey: 'source:https://example.org/1' })], { expectedVersion: 'no_stream' }),
    ])
    const original = first.events[0]
    expect(original?.status).toBe('appended')
    for (const r of again) expect(r.events).toEqual([{ ...original, status: 'duplicate' }])
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE idempotency_key = 'source:https://example.org/1'`.execute(env.db)
    expect(Number(rows[0]?.n)).toBe(1)
    const found = await store.findByIdempotencyKeys(['source:https://example.org/1', 'unknown'])
    expect([...found.keys()]).toEqual(['source:https://example.org/1'])
    expect(found.get('source:https://example.org/1')).toMatchObject({
      eventId: original?.eventId,
      position: original?.position,
      streamId: 'measure-idempotent',
    })
  })

  it('dedupes concurrent first submissions of one key to one row', async () => {
    const store = open()
    const results = await Promise.all(range(1, 3).map((i) => store.append(streamRef(`first-${i}`), [testEvent(i, { idempotencyKey: 'same-fact' })])))
    const statuses = results.map((r) => r.events[0]?.status).sort()
    expect(statuses).toEqual(['appended', 'duplicate', 'duplicate'])
    expect(new Set(results.map((r) => r.events[0]?.position)).size).toBe(1)
  })

  it('drops duplicates of a mixed append and checks the rest against the expected version', async () => {
    const store = open()
    const stream = streamRef('mixed')
    await store.append(stream, [testEvent(1, { idempotencyKey: 'k1' })], { expectedVersion: 'no_stream' })
    await expect(store.append(stream, [testEvent(1, { idempotencyKey: 'k1' }), testEvent(2)], { expectedVersion: 'no_stream' })).rejects.toMatchObject({
      code: 'WRONG_EXPECTED_VERSION',
    })
    const result = await store.append(
      stream,
      [testEvent(1, { idempotencyKey: 'k1' }), testEvent(2, { idempotencyKey: 'k2' }), testEvent(3, { idempotencyKey: 'k2' })],
      {
        expectedVersion: 1,
      },
    )
    expect(result.events.map((e) => [e.status, e.version])).toEqual([
      ['duplicate', 1],
      ['appended', 2],
      ['duplicate', 2],
    ])
    expect(result.currentVersion).toBe(2)
  })

  it('group-commits 200 concurrent single-event appends into gapless positions 1..200 in far fewer transactions', async () => {
    const store = open()
    const before = await positions()
    const results = await Promise.all(range(1, 200).map((i) => store.append(streamRef(`group-${i % 7}`), [testEvent(i)])))
    const all = await positions()
    expect(all).toEqual(range(1, all.length))
    const mine = results.map((r) => r.events[0]?.position ?? 0).sort((a, b) => a - b)
    expect(mine).toEqual(range(before.length + 1, before.length + 200))
    const { transactions, appends } = store.stats()
    expect(appends).toBe(200)
    expect(transactions).toBeLessThan(20)
    // Counted independently of our own counter: the distinct inserting transaction ids.
    const { rows } = await sql<{ n: string }>`SELECT count(DISTINCT xmin::text) AS n FROM events WHERE position > ${before.length}`.execute(env.db)
    expect(Number(rows[0]?.n)).toBe(transactions)
  })

  it('keeps positions gapless and streams consistent with several stores writing at once', async () => {
    const writers = range(1, 4).map(() => open(50))
    await Promise.all(
      writers.flatMap((store, w) =>
        range(1, 10).map(async (j) => {
          for (let k = 0; k < 5; k++) await store.append(streamRef(`w${w}-s${j}`), [testEvent(k), testEvent(k + 1)])
        }),
      ),
    )
    const all = await positions()
    expect(all).toEqual(range(1, all.length))
    const stream = await writers[0]?.readStream(streamRef('w2-s3'))
    expect(stream?.map((e) => e.aggregateVersion)).toEqual(range(1, 10))
    expect(await writers[0]?.head()).toBe(all.length)
  })

  it('fails only the append whose row the database refuses, not its group', async () => {
    const store = open()
    const taken = await store.append(streamRef('taken-id'), [testEvent(1)])
    const eventId = taken.events[0]?.eventId
    const results = await Promise.allSettled([
      store.append(streamRef('ok-1'), [testEvent(1)]),
      store.append(streamRef('reused-id'), [testEvent(2, { id: eventId })]),
      store.append(streamRef('ok-2'), [testEvent(3)]),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const all = await positions()
    expect(all).toEqual(range(1, all.length))
  })

  it('reads envelopes back in version and position order', async () => {
    const store = open()
    const stream = streamRef('envelope', 'agreement')
    const recordedAt = new Date('2026-02-01T10:00:00.000Z')
    await store.append(stream, [testEvent(1, { recordedAt, schemaVersion: 2 }), testEvent(2)])
    const [first, second] = await store.readStream(stream)
    expect(first).toMatchObject({
      aggregateType: 'agreement',
      aggregateId: 'envelope',
      aggregateVersion: 1,
      schemaVersion: 2,
      recordedAt: recordedAt.toISOString(),
      data: { n: 1 },
    })
    expect(await store.readStream(stream, { fromVersion: 2 })).toEqual([second])
    const page = await store.readAll({ after: (first?.position ?? 0) - 1, limit: 2 })
    expect(page.map((e) => e.id)).toEqual([first?.id, second?.id])
  })

  it('stores data and metadata exactly as given, quotes, backslashes, unicode and all, side by side in a group', async () => {
    const store = open()
    const awkward = { text: 'a "quoted" \\ back\\slash, {braces} [1,2], \u00e9\u4e2d\ud83d\ude00, tab\there', list: [null, true, 0.5, { n: [] }], empty: '' }
    const plain = testEvent(2)
    const [a, b] = await Promise.all([
      store.append(streamRef('awkward'), [
        testEvent(1, { data: awkward, metadata: { ...plain.metadata, source: { kind: 'news', url: 'https://example.org/"x"', title: 'T\\"' } } }),
      ]),
      store.append(streamRef('plain'), [plain, testEvent(3, { data: 'a bare string' })]),
    ])
    const [stored] = await store.readStream(streamRef('awkward'))
    expect(stored).toMatchObject({ id: a.events[0]?.eventId, data: awkward, source: { url: 'https://example.org/"x"', title: 'T\\"' } })
    expect((await store.readStream(streamRef('plain'))).map((e) => [e.id, e.data])).toEqual([
      [b.events[0]?.eventId, { n: 2 }],
      [b.events[1]?.eventId, 'a bare string'],
    ])
  })

  it('stores a JSON null, SQL and dollar-sign fragments verbatim, and a key with a lone surrogate as U+FFFD', async () => {
    const store = open()
    const key = "it's \\ a \ud800 key"
    const tags = { sql: "'); DROP TABLE events; --", tags: '$j0$ $j1$ $$', end: 'ends with $j0' }
    const appended = await store.append(streamRef('literal'), [
      testEvent(1, { data: null, idempotencyKey: key }),
      testEvent(2, { data: tags, idempotencyKey: 'key $j0$' }),
      testEvent(3, { data: 'ends with $j0', idempotencyKey: 'ends with $j0' }),
    ])
    expect((await store.readStream(streamRef('literal'))).map((e) => e.data)).toEqual([null, tags, 'ends with $j0'])
    // pg writes a lone surrogate in a parameter as U+FFFD.
    const { rows } = await sql<{
      id: string
      key: string
    }>`SELECT event_id AS id, idempotency_key AS key FROM events WHERE stream_id = 'measure-literal' ORDER BY version`.execute(env.db)
    expect(rows).toEqual([
      { id: appended.events[0]?.eventId, key: "it's \\ a \ufffd key" },
      { id: appended.events[1]?.eventId, key: 'key $j0$' },
      { id: appended.events[2]?.eventId, key: 'ends with $j0' },
    ])
  })

  it("stamps an event appended without a schema version with its type's current version, not 1", async () => {
    const store = open()
    const stream = streamRef('stamped', 'measure')
    const { schemaVersion } = eventCatalogue.MeasureLinked
    expect(schemaVersion).toBeGreaterThan(1)
    await store.append(stream, [
      { ...testEvent(1), type: 'MeasureLinked' },
      { ...testEvent(2), type: 'NotInTheCatalogue' },
    ])
    const [linked, outside] = await store.readStream(stream)
    expect(linked?.schemaVersion).toBe(schemaVersion)
    expect(outside?.schemaVersion).toBe(1)
  })

  it('refuses appends after close, having flushed the queued ones', async () => {
    const store = open()
    const queued = range(1, 20).map((i) => store.append(streamRef('closing'), [testEvent(i)]))
    await store.close()
    expect((await Promise.all(queued)).length).toBe(20)
    await expect(store.append(streamRef('closing'), [testEvent(21)])).rejects.toMatchObject({ code: 'EVENT_STORE_CLOSED' })
  })

  it('rejects every queued append when Postgres cannot be reached, instead of leaving them waiting for the lock', async () => {
    const db = createDb(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, { poolSize: 2 })
    const store = createEventStore({ db })
    try {
      const results = await Promise.allSettled(range(1, 5).map((i) => store.append(streamRef(`unreachable-${i}`), [testEvent(i)])))
      expect(results.map((r) => r.status)).toEqual(range(1, 5).map(() => 'rejected'))
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'ECONNREFUSED' })
    } finally {
      await store.close()
      await db.destroy()
    }
  })

  it('refuses an aggregate id that cannot be a subject token', async () => {
    await expect(open().append(streamRef('Not.A.Slug'), [testEvent(1)])).rejects.toMatchObject({ code: 'INVALID_STREAM' })
  })
})
