import { streams } from '@tradewatch/domain'
import {
  announcement,
  type NatsServer,
  postEvents,
  type ServiceProcess,
  startNatsServer,
  startService,
  streamLastSequence,
  streamMessages,
  testApiKey,
  testPrefix,
  useTestEnvironment,
  waitFor,
} from '@tradewatch/test-support'
import { connect, type NatsConnection } from 'nats'
import { afterAll, beforeAll, expect, it } from 'vitest'

// This file's own database on the shared Postgres; a nats-server of its own, to stop and start.
const env = useTestEnvironment()
const feeder = testApiKey('feeder', ['ingest'])
const prefix = testPrefix()
const stream = streams.events(prefix)
let nats: NatsServer | undefined
let ingest: ServiceProcess | undefined

beforeAll(async () => {
  nats = await startNatsServer()
  ingest = await startService('ingest', { DATABASE_URL: env.databaseUrl, NATS_URL: nats.url, TRADEWATCH_PREFIX: prefix, API_KEYS: feeder.entry })
})
afterAll(async () => {
  await ingest?.stop()
  await nats?.destroy()
})

const server = () => nats as NatsServer
const service = () => ingest as ServiceProcess
let measures = 0
const nextInput = () => announcement(`nats-${++measures}`)

async function withNats<T>(work: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: server().url })
  try {
    return await work(nc)
  } finally {
    await nc.close()
  }
}

async function storedEvents() {
  return env.db.selectFrom('events').select(['position', 'event_id']).orderBy('position').execute()
}

/** Waits until the stream holds every stored event, then checks: once each, sequence = position, Nats-Msg-Id = event id. */
async function expectStreamToMirrorStore(): Promise<number> {
  const started = performance.now()
  const events = await storedEvents()
  await waitFor(
    `${stream} to reach position ${events.length}`,
    () => withNats(async (nc) => (await streamLastSequence(nc, stream)) >= events.length),
    30_000,
    100,
  )
  const caughtUpMs = performance.now() - started
  const messages = await withNats((nc) => streamMessages(nc, stream))
  expect(messages.map((m) => [m.seq, m.position, m.msgId])).toEqual(events.map((e) => [Number(e.position), Number(e.position), e.event_id]))
  return caughtUpMs
}

/** Posts while NATS is down: every answer is 201, the events commit to Postgres. */
async function postWhileDown(singles: number, batchSize: number) {
  const answers = await Promise.all([
    ...Array.from({ length: singles }, () => postEvents(service().url, feeder.key, nextInput())),
    postEvents(service().url, feeder.key, Array.from({ length: batchSize }, nextInput)),
  ])
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201))
  return Math.max(...answers.map((a) => a.ms))
}

it('accepts while NATS is down, and the relay publishes every event once NATS is back (same store)', async () => {
  for (let i = 0; i < 3; i++) expect((await postEvents(service().url, feeder.key, nextInput())).status).toBe(201)
  await expectStreamToMirrorStore()

  await server().stop()
  const slowest = await postWhileDown(10, 20)
  expect((await storedEvents()).length).toBe(33)
  // The process lives, and stays ready: it still records (NATS reconnects in the background);
  // its readiness is about recording, so it names only Postgres.
  expect(service().child.exitCode).toBeNull()
  expect((await fetch(`${service().url}/healthz`)).status).toBe(200)
  const readyz = await fetch(`${service().url}/readyz`)
  expect({ status: readyz.status, body: await readyz.json() }).toMatchObject({ status: 200, body: { checks: { postgres: true } } })
  expect(await (await fetch(`${service().url}/metrics`)).text()).toContain('tradewatch_nats_connected')

  await server().start()
  const caughtUpMs = await expectStreamToMirrorStore()
  console.info(`NATS down: slowest POST ${Math.round(slowest)} ms; stream caught up ${Math.round(caughtUpMs)} ms after nats-server was back`)
})

it('refills the stream from position 1 when NATS comes back with an empty store, events accepted meanwhile', async () => {
  await server().stop()
  await postWhileDown(2, 5)
  await server().start({ wipe: true })
  const caughtUpMs = await expectStreamToMirrorStore()
  console.info(`NATS back empty: ${(await storedEvents()).length} events refilled in ${Math.round(caughtUpMs)} ms`)
})

it('refills the stream from position 1 when NATS comes back with an empty store while the relay is idle', async () => {
  await server().stop('SIGKILL')
  await server().start({ wipe: true })
  const caughtUpMs = await expectStreamToMirrorStore()
  console.info(`NATS back empty, relay idle: refilled in ${Math.round(caughtUpMs)} ms`)
})

it('starts, and records, while NATS is down; the relay publishes everything once NATS first answers', async () => {
  await ingest?.stop()
  await server().stop()
  const late = await startService(
    'ingest',
    { DATABASE_URL: env.databaseUrl, NATS_URL: server().url, TRADEWATCH_PREFIX: prefix, API_KEYS: feeder.entry },
    { waitFor: 'readyz' },
  )
  ingest = late
  await postWhileDown(3, 4)
  await server().start()
  const caughtUpMs = await expectStreamToMirrorStore()
  console.info(`ingest started without NATS: stream caught up ${Math.round(caughtUpMs)} ms after nats-server was first up`)
})
