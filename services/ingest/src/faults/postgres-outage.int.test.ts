import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import { streams } from '@tradewatch/domain'
import {
  adminQuery,
  announcement,
  type PostgresCluster,
  postEvents,
  type ServiceProcess,
  startPostgresCluster,
  startService,
  streamLastSequence,
  testApiKey,
  testPrefix,
  useTestEnvironment,
  waitFor,
  withDatabase,
} from '@tradewatch/test-support'
import { afterAll, beforeAll, expect, it } from 'vitest'

// The shared NATS (its own prefix); a Postgres cluster of this file's own, to stop and start.
const env = useTestEnvironment()
const feeder = testApiKey('feeder', ['ingest'])
const prefix = testPrefix()
let cluster: PostgresCluster | undefined
let databaseUrl: string
let ingest: ServiceProcess | undefined

beforeAll(async () => {
  cluster = await startPostgresCluster()
  databaseUrl = withDatabase(cluster.url, 'tradewatch')
  await ensureDatabase(databaseUrl)
  const db = createDb(databaseUrl, { poolSize: 1 })
  await migrateToLatest(db).finally(() => db.destroy())
  ingest = await startService('ingest', { DATABASE_URL: databaseUrl, NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: prefix, API_KEYS: feeder.entry })
})
afterAll(async () => {
  await ingest?.stop()
  await cluster?.destroy()
})

const service = () => ingest as ServiceProcess
const post = (body: unknown) => postEvents(service().url, feeder.key, body)
const countEvents = async () => Number((await adminQuery<{ n: string }>(databaseUrl, 'SELECT count(*) AS n FROM events')).rows[0]?.n)

// `fast` closes sessions cleanly; `immediate` is a crash, so the restart runs recovery.
it.each(['fast', 'immediate'] as const)('answers 503 while Postgres is down (%s stop), writes nothing, survives, and records the retry once', async (mode) => {
  const { nc } = env
  expect((await post(announcement(`pg-${mode}-before`))).status).toBe(201)
  const before = await countEvents()

  await cluster?.stop(mode)
  const batch = [announcement(`pg-${mode}-a`), announcement(`pg-${mode}-b`)]
  const refused = await post(batch)
  console.info(`POST while Postgres is down (${mode} stop) answered ${refused.status} in ${Math.round(refused.ms)} ms`)
  expect(refused.status).toBe(503)
  expect(refused.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 })
  expect(refused.ms).toBeLessThan(10_000)
  // The process survives the outage: alive, /healthz answers, /readyz says which check fails.
  expect(service().child.exitCode).toBeNull()
  expect((await fetch(`${service().url}/healthz`)).status).toBe(200)
  const readyz = await fetch(`${service().url}/readyz`)
  expect(readyz.status).toBe(503)
  expect(((await readyz.json()) as { checks: unknown }).checks).toEqual({ postgres: false })

  await cluster?.start()
  expect(await countEvents()).toBe(before) // nothing of the refused batch was written

  const retried = await post(batch)
  expect(retried.status).toBe(201)
  expect(retried.body.summary).toMatchObject({ appended: 2, rejected: 0 })
  const again = await post(batch)
  expect(again.status).toBe(200)
  expect(again.body.summary).toMatchObject({ appended: 0, duplicate: 2 })
  expect(again.body.results.map((r: { eventId: string }) => r.eventId)).toEqual(retried.body.results.map((r: { eventId: string }) => r.eventId))
  expect(await countEvents()).toBe(before + 2)

  // The relay lost its Postgres sessions too; it takes the lead again and publishes the rest.
  await waitFor('the relay to publish every position', async () => (await streamLastSequence(nc, streams.events(prefix))) === before + 2, 30_000, 100)
  expect(service().child.exitCode).toBeNull()
  expect((await fetch(`${service().url}/readyz`)).status).toBe(200)
})
