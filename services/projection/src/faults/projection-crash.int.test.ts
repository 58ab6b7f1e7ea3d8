import { createDb, type Db } from '@tradewatch/db'
import { streams } from '@tradewatch/domain'
import { createLogger } from '@tradewatch/logger'
import { type Projector, startProjector } from '@tradewatch/projector'
import {
  cloneDatabase,
  compareTables,
  postEvents,
  type ServiceProcess,
  splitIntoLanes,
  startService,
  streamLastSequence,
  tableRows,
  testApiKey,
  useTestEnvironment,
  type WorkloadInput,
  waitFor,
  workload,
} from '@tradewatch/test-support'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { readModels } from '../rebuild/read-models.js'

// Ingest and the projection service run as real processes on this file's database and prefix; the
// projection process is SIGKILLed at random moments while the events flow, then restarted.
const env = useTestEnvironment()
const feeder = testApiKey('feeder', ['ingest'])
const logger = createLogger({ service: 'projection-crash-test', level: process.env.LOG_LEVEL ?? 'silent' })
const total = 20_000
const projections = readModels
const readModelTables = projections.flatMap((p) => p.tables)

let ingest: ServiceProcess | undefined
let projection: ServiceProcess | undefined
let rebuild: { db: Db; drop(): Promise<void>; projectors: Projector[] } | undefined

const projectionEnv = () => ({ DATABASE_URL: env.databaseUrl, NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: env.prefix, LOG_LEVEL: 'warn' })

beforeAll(async () => {
  const common = { DATABASE_URL: env.databaseUrl, NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: env.prefix }
  ingest = await startService('ingest', { ...common, API_KEYS: feeder.entry, LOG_LEVEL: 'warn' })
  projection = await startService('projection', projectionEnv())
})
afterAll(async () => {
  await Promise.all(rebuild?.projectors.map((p) => p.stop()) ?? [])
  await rebuild?.db.destroy()
  await rebuild?.drop()
  await projection?.stop()
  await ingest?.stop()
})

const checkpoints = async (db: Db) => {
  const rows = await db.selectFrom('consumer_checkpoints').select(['name', 'position']).execute()
  const stored = new Map(rows.map((r) => [r.name, Number(r.position)]))
  return Object.fromEntries(projections.map((p) => [p.name, stored.get(p.name) ?? 0]))
}
const storeHead = async () =>
  Number(
    (
      await env.db
        .selectFrom('events')
        .select((eb) => eb.fn.max('position').as('head'))
        .executeTakeFirst()
    )?.head ?? 0,
  )
const allAt = (positions: Record<string, number>, head: number) => Object.values(positions).every((p) => p === head)

/** Posts the workload in batches from `lanes` concurrent writers; an aggregate's facts stay in one lane, in order. */
async function load(inputs: readonly WorkloadInput[], lanes: number, batchSize: number) {
  await Promise.all(
    splitIntoLanes(inputs, lanes).map(async (lane) => {
      for (let i = 0; i < lane.length; i += batchSize) {
        const batch = lane.slice(i, i + batchSize)
        const answer = await postEvents((ingest as ServiceProcess).url, feeder.key, batch)
        expect({ status: answer.status, summary: answer.body?.summary }).toEqual({
          status: 201,
          summary: { appended: batch.length, duplicate: 0, unchanged: 0, rejected: 0 },
        })
      }
    }),
  )
}

interface Kill {
  afterMs: number
  head: number
  checkpoints: Record<string, number>
}

/** SIGKILLs the projection process at random moments, restarting it each time, until `done()` and at least `minimum` kills. */
async function killAtRandom(done: () => boolean, minimum: number): Promise<Kill[]> {
  const kills: Kill[] = []
  while (kills.length < minimum || !done()) {
    const afterMs = Math.round(150 + Math.random() * 900)
    await new Promise((resolve) => setTimeout(resolve, afterMs))
    await (projection as ServiceProcess).kill()
    kills.push({ afterMs, head: await storeHead(), checkpoints: await checkpoints(env.db) })
    projection = await startService('projection', projectionEnv())
  }
  return kills
}

// About a minute on a quiet 2-core machine; the limits leave room for a busy one (it took 163 s under load 18).
it('given 20,000 events posted while the projection process is SIGKILLed at random moments and restarted, then its read models equal a fresh rebuild row for row, nothing is applied twice, and every checkpoint is the stream head', async () => {
  const inputs = workload('crash', total)
  const started = performance.now()
  let loaded = false
  const loading = load(inputs, 4, 250).finally(() => {
    loaded = true
  })
  const [kills] = await Promise.all([killAtRandom(() => loaded, 5), loading])
  const loadMs = performance.now() - started

  // Every fact recorded once, published once, and every projection at the head.
  expect(await storeHead()).toBe(total)
  const stream = streams.events(env.prefix)
  await waitFor('the relay to publish every event', async () => (await streamLastSequence(env.nc, stream)) === total, 60_000, 100)
  const live = await waitFor(
    'every projection to reach the stream head',
    async () => {
      const positions = await checkpoints(env.db)
      return allAt(positions, total) && positions
    },
    120_000,
    100,
  )
  const caughtUpMs = performance.now() - started
  expect(live).toEqual(Object.fromEntries(projections.map((p) => [p.name, total])))
  // Kills that found a projection behind the store's head interrupted it mid-stream.
  const midStream = kills.filter((k) => Object.values(k.checkpoints).some((p) => p < k.head))
  console.info(
    `projection crash: ${kills.length} SIGKILLs (${midStream.length} with a projection behind the head), loaded ${total} events in ${Math.round(loadMs)} ms, caught up at ${Math.round(caughtUpMs)} ms;`,
    kills.map(
      (k) => `${k.afterMs} ms → head ${k.head}, checkpoints ${Math.min(...Object.values(k.checkpoints))}..${Math.max(...Object.values(k.checkpoints))}`,
    ),
  )
  expect(kills.length).toBeGreaterThanOrEqual(5)
  expect(midStream.length).toBeGreaterThanOrEqual(3)
  await (projection as ServiceProcess).stop()

  // Nothing applied twice: one archive and timeline row per position 1..head, one history row per measure
  // event and measure versions equal to their event counts, and no event given up on.
  for (const table of ['event_archive', 'timeline'] as const) {
    const { rows } = await sql<{ rows: string; positions: string; first: string; last: string }>`
        SELECT count(*) AS rows, count(DISTINCT position) AS positions, min(position) AS first, max(position) AS last
        FROM ${sql.table(table)}`.execute(env.db)
    expect({ table, ...rows[0] }).toEqual({ table, rows: String(total), positions: String(total), first: '1', last: String(total) })
  }
  const { rows: versions } = await sql<{ mismatched: string; measures: string }>`
      SELECT count(*) FILTER (WHERE m.version <> e.events OR h.rows <> e.events) AS mismatched, count(*) AS measures
      FROM measures m
      JOIN (SELECT aggregate_id, count(*)::int AS events FROM events WHERE aggregate_type = 'measure' GROUP BY aggregate_id) e ON e.aggregate_id = m.measure_id
      JOIN (SELECT measure_id, count(*)::int AS rows FROM measure_history GROUP BY measure_id) h ON h.measure_id = m.measure_id`.execute(env.db)
  expect(versions[0]).toEqual({ mismatched: '0', measures: String(new Set(inputs.filter((i) => i.measureId).map((i) => i.measureId)).size) })
  expect(await env.db.selectFrom('dead_letters').select('consumer').execute()).toEqual([])

  // A fresh rebuild: the same projections from 0, in this process, into a newly migrated database, off the same stream.
  const clone = await cloneDatabase(inject('databaseServerUrl'), inject('templateDatabase'), inject('runId'))
  const db = createDb(clone.url, { poolSize: 8, applicationName: 'tradewatch-rebuild' })
  rebuild = { db, drop: clone.drop, projectors: [] }
  for (const p of projections)
    rebuild.projectors.push(await startProjector({ db, databaseUrl: clone.url, nc: env.nc, prefix: env.prefix, logger, projection: p, batchSize: 500 }))
  await waitFor('the rebuild to reach the stream head', async () => allAt(await checkpoints(db), total), 120_000, 100)

  const [rebuilt, crashed] = await Promise.all([tableRows(clone.url, readModelTables), tableRows(env.databaseUrl, readModelTables)])
  expect(compareTables(rebuilt, crashed)).toEqual([])
}, 360_000)
