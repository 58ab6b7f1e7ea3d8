import { randomUUID } from 'node:crypto'
import { type EventEnvelope, subjects } from '@tradewatch/domain'
import { createEventStore, type NewEvent, readCheckpoint, startRelay } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { sql } from 'kysely'
import type { Subscription } from 'nats'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Projection } from './projection.js'
import { type Projector, type ProjectorMetrics, type ProjectorOptions, startProjector, startProjectors } from './projector.js'

const env = useTestEnvironment()
const logger = createLogger({ service: 'projector-test', level: process.env.LOG_LEVEL ?? 'silent' })
const total = 1_000
const running: Projector[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()))
})

const entered = (n: number): NewEvent => ({
  type: 'MeasureEnteredIntoForce',
  data: {},
  metadata: {
    occurredAt: '2026-01-16',
    effectiveAt: null,
    source: { kind: 'news', url: `https://example.org/${n}`, title: 'Test source' },
    correlationId: randomUUID(),
    causationId: null,
  },
})

beforeAll(async () => {
  await sql`CREATE TABLE applied (projection text, position bigint, PRIMARY KEY (projection, position))`.execute(env.db)
  const store = createEventStore({ db: env.db })
  for (let s = 0; s < 10; s++)
    await store.append(
      { aggregateType: 'measure', aggregateId: `poison-${s}` },
      Array.from({ length: total / 10 }, (_, i) => entered(s * 100 + i)),
    )
  await store.close()
  const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 100 })
  await waitFor('relay caught up', () => relay.status().publishedPosition === total, 20_000)
  await relay.stop()
})

/** A read model of positions (each once: the primary key refuses a second time); `fail` may throw for a batch, as a buggy or unlucky apply would. */
function testProjection(name: string, fail: (events: readonly EventEnvelope[]) => void | Promise<void> = () => {}): Projection {
  return {
    name,
    tables: ['applied'],
    async apply(trx, events) {
      await fail(events)
      await sql`INSERT INTO applied (projection, position) SELECT ${name}, unnest(${events.map((e) => e.position)}::bigint[])`.execute(trx)
    },
  }
}

/** Sums per metric and label set, as a Prometheus registry would expose them. */
function recordingMetrics() {
  const sums = new Map<string, number>()
  const add = (metric: string) => ({
    inc: (amount: number, labels: { projection: string }) =>
      sums.set(`${metric}${JSON.stringify(labels)}`, (sums.get(`${metric}${JSON.stringify(labels)}`) ?? 0) + amount),
    set: (value: number, labels: { projection: string }) => sums.set(`${metric}${JSON.stringify(labels)}`, value),
    observe: () => {},
  })
  const metrics: ProjectorMetrics = {
    applied: add('applied'),
    deadLettered: add('deadLettered'),
    batches: add('batches'),
    batchSecondsTotal: add('batchSecondsTotal'),
    batchSeconds: add('batchSeconds'),
    batchSize: add('batchSize'),
    position: add('position'),
  }
  return { metrics, get: (metric: string, projection: string) => sums.get(`${metric}${JSON.stringify({ projection })}`) }
}

async function start(projection: Projection, metrics?: ProjectorMetrics) {
  const projector = await startProjector({
    db: env.db,
    databaseUrl: env.databaseUrl,
    nc: env.nc,
    prefix: env.prefix,
    logger,
    projection,
    batchSize: 200,
    metrics,
  })
  running.push(projector)
  return projector
}

const appliedCount = async (name: string) =>
  Number((await sql<{ n: string }>`SELECT count(DISTINCT position) AS n FROM applied WHERE projection = ${name}`.execute(env.db)).rows[0]?.n)
const deadLetters = (name: string) => env.db.selectFrom('dead_letters').selectAll().where('consumer', '=', name).execute()

async function collect(subscription: Subscription, into: unknown[]) {
  for await (const msg of subscription) into.push(msg.json())
}

async function startAll(projections: Projection[], options: Pick<ProjectorOptions, 'batchSize' | 'pipelineDepth' | 'durableCommits'> = {}) {
  const projector = await startProjectors({
    db: env.db,
    databaseUrl: env.databaseUrl,
    nc: env.nc,
    prefix: env.prefix,
    logger,
    projections,
    batchSize: 100,
    ...options,
  })
  running.push(projector)
  return projector
}

const applied = async (name: string) =>
  (await sql<{ n: string; first: string | null }>`SELECT count(*) AS n, min(position) AS first FROM applied WHERE projection = ${name}`.execute(env.db)).rows[0]
const checkpointsAt = async (names: string[], position: number) =>
  Number(
    (
      await env.db
        .selectFrom('consumer_checkpoints')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('name', 'in', names)
        .where('position', '=', String(position))
        .executeTakeFirstOrThrow()
    ).n,
  ) === names.length

describe('projector poison handling', () => {
  it('dead-letters the one event whose apply throws among 1,000 and applies the other 999', async () => {
    const name = 'poisoned'
    const poison = 500
    const published: unknown[] = []
    const subscription = env.nc.subscribe(subjects.deadLetter(env.prefix, name))
    void collect(subscription, published)
    const recorded = recordingMetrics()
    const projector = await start(
      testProjection(name, (events) => {
        if (events.some((e) => e.position === poison)) throw new TypeError(`Cannot read properties of undefined (reading 'rate') at ${poison}`)
      }),
      recorded.metrics,
    )

    await waitFor('checkpoint at the head', async () => (await readCheckpoint(env.db, name)) === total, 30_000)
    expect(await appliedCount(name)).toBe(total - 1)
    const rows = await deadLetters(name)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ position: String(poison), event_type: 'MeasureEnteredIntoForce', reason: expect.stringContaining("reading 'rate'") })
    expect(rows[0]?.attempts).toBeGreaterThan(3)
    expect(rows[0]?.payload).toMatchObject({ position: poison, id: rows[0]?.event_id })
    await waitFor('dead letter published', () => published.length === 1)
    expect(published[0]).toMatchObject({ consumer: name, position: poison, reason: rows[0]?.reason, payload: { position: poison } })
    expect(projector.status()).toMatchObject({ position: total, healthy: true })
    expect([recorded.get('applied', name), recorded.get('deadLettered', name), recorded.get('position', name)]).toEqual([total - 1, 1, total])
    subscription.unsubscribe()
  })

  it('retries transient errors without dead-lettering anything, applying every event once', async () => {
    const name = 'transient'
    let calls = 0
    const projector = await start(
      testProjection(name, () => {
        // More failures than maxAttempts (3): a transient error must never lead to isolation.
        if (++calls <= 5) throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' })
      }),
    )

    await waitFor('checkpoint at the head', async () => (await readCheckpoint(env.db, name)) === total, 30_000)
    expect(calls).toBeGreaterThan(5)
    expect(await appliedCount(name)).toBe(total)
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM applied WHERE projection = ${name}`.execute(env.db)).rows[0]?.n)).toBe(total)
    expect(await deadLetters(name)).toEqual([])
    expect(projector.status().healthy).toBe(true)
  })
})

describe('a projector feeding several projections from one consumer', () => {
  it('Given projections at different checkpoints and one with a poison event, When it runs, Then each applies exactly its own share', async () => {
    await env.db.insertInto('consumer_checkpoints').values({ name: 'ahead', position: 400 }).execute()
    await startAll([
      testProjection('ahead'),
      testProjection('behind'),
      testProjection('failing', (events) => {
        if (events.some((e) => e.position === 500)) throw new Error('cannot apply 500')
      }),
    ])

    await waitFor('every checkpoint at the head', () => checkpointsAt(['ahead', 'behind', 'failing'], total), 30_000)
    expect(await applied('ahead')).toEqual({ n: '600', first: '401' })
    expect(await applied('behind')).toEqual({ n: String(total), first: '1' })
    expect(await applied('failing')).toEqual({ n: String(total - 1), first: '1' })
    const letters = await env.db.selectFrom('dead_letters').select(['consumer', 'position']).where('consumer', 'in', ['ahead', 'behind', 'failing']).execute()
    expect(letters).toEqual([{ consumer: 'failing', position: '500' }])
  })

  it('Given batches pipelined, a slow projection, a poison event and transient failures mid-stream, When it runs, Then each applies every event once, in order', async () => {
    let flakyCalls = 0
    const order: number[] = []
    const projector = await startAll(
      [
        testProjection('pipe-slow', () => new Promise((resolve) => setTimeout(resolve, 20))),
        testProjection('pipe-fast', (events) => void order.push(...events.map((e) => e.position))),
        testProjection('pipe-poisoned', (events) => {
          if (events.some((e) => e.position === 500)) throw new Error('cannot apply 500')
        }),
        testProjection('pipe-flaky', (events) => {
          // Fails while the others are batches ahead, and again after the stream's last event.
          if (events.some((e) => e.position === 700 || e.position === total) && ++flakyCalls <= 4)
            throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' })
        }),
      ],
      { batchSize: 50, pipelineDepth: 3 },
    )

    const names = ['pipe-slow', 'pipe-fast', 'pipe-poisoned', 'pipe-flaky']
    await waitFor('every checkpoint at the head', () => checkpointsAt(names, total), 30_000)
    for (const name of ['pipe-slow', 'pipe-fast', 'pipe-flaky']) expect(await applied(name)).toEqual({ n: String(total), first: '1' })
    expect(await applied('pipe-poisoned')).toEqual({ n: String(total - 1), first: '1' })
    expect(flakyCalls).toBeGreaterThan(4)
    expect(order).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    const letters = await env.db.selectFrom('dead_letters').select(['consumer', 'position']).where('consumer', 'in', names).execute()
    expect(letters).toEqual([{ consumer: 'pipe-poisoned', position: '500' }])
    expect(projector.status()).toMatchObject({ position: total, healthy: true })
  })

  it('Given a leader and a standby, When the leader loses its lock connection, Then it stops consuming, the standby leads and nothing is applied twice', async () => {
    const projection = testProjection('led', () => new Promise((resolve) => setTimeout(resolve, 30)))
    const first = await startAll([projection], { batchSize: 20 })
    await waitFor('the first projector leading and applying', async () => first.status().leader && Number((await applied('led'))?.n) >= 100, 20_000)
    const second = await startAll([projection], { batchSize: 20 })

    // The lock's session as Postgres sees it: what a Postgres restart or a network cut ends.
    const lockSession = `tradewatch-lock:projection:${env.prefix}:led`.slice(0, 63)
    const { rows } = await sql<{ ended: boolean }>`
      SELECT pg_terminate_backend(a.pid) AS ended FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
      WHERE a.application_name = ${lockSession} AND l.locktype = 'advisory' AND l.granted`.execute(env.db)
    expect(rows).toEqual([{ ended: true }])

    await waitFor('the standby leading and the old leader standing by', () => second.status().leader && !first.status().leader, 20_000)
    await waitFor('the checkpoint at the head', () => checkpointsAt(['led'], total), 30_000)
    expect(await applied('led')).toEqual({ n: String(total), first: '1' })
    expect(first.status().leader).toBe(false)
  })
})

describe('commits of a read model that need not wait for the disk', () => {
  beforeAll(async () => {
    await sql`CREATE TABLE commit_modes (projection text, first bigint, mode text)`.execute(env.db)
  })

  /** Records, per batch, whether its transaction waits for the WAL flush. */
  const commitMode = (name: string): Projection => ({
    name,
    tables: ['commit_modes'],
    async apply(trx, events) {
      await sql`INSERT INTO commit_modes SELECT ${name}, ${events[0]?.position}, current_setting('synchronous_commit')`.execute(trx)
    },
  })
  const modes = async (name: string) =>
    (await sql<{ mode: string }>`SELECT DISTINCT mode FROM commit_modes WHERE projection = ${name}`.execute(env.db)).rows.map((r) => r.mode)

  it('Given durableCommits false, When batches are applied, Then no transaction waits for the WAL flush', async () => {
    const name = 'not-durable'
    await startAll([commitMode(name)], { batchSize: 200, durableCommits: false })
    await waitFor('checkpoint at the head', () => checkpointsAt([name], total), 30_000)
    expect(await modes(name)).toEqual(['off'])
  })

  it('Given the default, When batches are applied, Then each transaction waits for the WAL flush', async () => {
    const name = 'durable'
    await start(commitMode(name))
    await waitFor('checkpoint at the head', () => checkpointsAt([name], total), 30_000)
    expect(await modes(name)).toEqual(['on'])
  })
})
