import { streams } from '@tradewatch/domain'
import {
  announcement,
  postEvents,
  type ServiceProcess,
  startService,
  streamLastSequence,
  streamMessages,
  testApiKey,
  useTestEnvironment,
  waitFor,
} from '@tradewatch/test-support'
import { nanos } from 'nats'
import { afterAll, beforeAll, expect, it } from 'vitest'

// A 1 s JetStream duplicate window, so a test can outlive it: idempotence must not depend on it.
const duplicateWindowMs = 1000
const env = useTestEnvironment()
const feeder = testApiKey('feeder', ['ingest'])
let ingest: ServiceProcess | undefined

beforeAll(async () => {
  ingest = await startService('ingest', {
    DATABASE_URL: env.databaseUrl,
    NATS_URL: env.natsUrl,
    TRADEWATCH_PREFIX: env.prefix,
    API_KEYS: feeder.entry,
    EVENTS_DUPLICATE_WINDOW_MS: String(duplicateWindowMs),
  })
})
afterAll(async () => {
  await ingest?.stop()
})

const post = (body: unknown) => postEvents((ingest as ServiceProcess).url, feeder.key, body)
const stream = () => streams.events(env.prefix)
const eventIds = (answer: { body: { results: { eventId: string }[] } }) => answer.body.results.map((r) => r.eventId)

/** Waits until the stream holds every stored event, then checks: once each, sequence = position, Nats-Msg-Id = event id. */
async function expectStreamToMirrorStore() {
  const events = await env.db.selectFrom('events').select(['position', 'event_id']).orderBy('position').execute()
  await waitFor(`${stream()} to reach position ${events.length}`, async () => (await streamLastSequence(env.nc, stream())) >= events.length, 30_000, 50)
  const messages = await streamMessages(env.nc, stream())
  expect(messages.map((m) => [m.seq, m.position, m.msgId])).toEqual(events.map((e) => [Number(e.position), Number(e.position), e.event_id]))
  return events.length
}

const batch = [
  announcement('dup-a'),
  announcement('dup-b'),
  announcement('dup-c'),
  // A second fact on an aggregate of the same batch.
  { ...announcement('dup-a'), type: 'MeasureEnteredIntoForce', occurredAt: '2024-10-01', data: {} },
]

it('records a batch submitted three times, and again after the duplicate window, once: in Postgres and in JetStream', async () => {
  const info = await (await env.nc.jetstreamManager()).streams.info(stream())
  expect(info.config.duplicate_window).toBe(nanos(duplicateWindowMs))

  const first = await post(batch)
  expect(first.status).toBe(201)
  expect(first.body.summary).toMatchObject({ appended: 4, duplicate: 0, rejected: 0 })
  for (let i = 0; i < 2; i++) {
    const again = await post(batch)
    expect(again.status).toBe(200)
    expect(again.body.summary).toMatchObject({ appended: 0, duplicate: 4 })
    expect(eventIds(again)).toEqual(eventIds(first))
  }
  expect(await expectStreamToMirrorStore()).toBe(4)

  // Time itself is the subject here: JetStream forgets the message ids once the window passes.
  await new Promise((resolve) => setTimeout(resolve, duplicateWindowMs + 500))
  const late = await post(batch)
  expect(late.status).toBe(200)
  expect(late.body.summary).toMatchObject({ appended: 0, duplicate: 4 })
  expect(eventIds(late)).toEqual(eventIds(first))

  // A new event after them reaches the stream at position 5: nothing was published twice before it.
  expect((await post(announcement('dup-d'))).status).toBe(201)
  expect(await expectStreamToMirrorStore()).toBe(5)
})

it('records a batch submitted three times at once, once', async () => {
  const concurrent = [announcement('dup-e'), announcement('dup-f')]
  const answers = await Promise.all([post(concurrent), post(concurrent), post(concurrent)])
  const appended = answers.flatMap((a) => a.body.results).filter((r: { status: string }) => r.status === 'appended')
  expect(appended).toHaveLength(2)
  for (const answer of answers) expect(eventIds(answer).sort()).toEqual(appended.map((r: { eventId: string }) => r.eventId).sort())
  expect(await expectStreamToMirrorStore()).toBe(7)
})
