import { subjects } from '@tradewatch/domain'
import { announcement, type ServiceProcess, startService, testApiKey, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterAll, beforeAll, expect, it } from 'vitest'

// Requests on `<prefix>.commands.ingest`, answered by the real ingest process.
const env = useTestEnvironment()
let ingest: ServiceProcess | undefined

beforeAll(async () => {
  ingest = await startService('ingest', {
    DATABASE_URL: env.databaseUrl,
    NATS_URL: env.natsUrl,
    TRADEWATCH_PREFIX: env.prefix,
    API_KEYS: testApiKey('feeder', ['ingest']).entry,
  })
  // Ready means appends can commit; the request subject comes up once NATS is reached.
  const service = ingest
  await waitFor('the ingest request subject', async () => (await (await fetch(`${service.url}/metrics`)).text()).includes('tradewatch_nats_connected 1'))
})
afterAll(async () => {
  await ingest?.stop()
})

async function request(body: string) {
  const reply = await env.nc.request(subjects.ingestCommands(env.prefix), body, { timeout: 10_000 })
  return reply.json<{ status: number; body: Record<string, unknown> & { errors?: { path: string }[] } }>()
}
const eventCount = async () =>
  Number(
    (
      await env.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

it('records a valid input: status 201 with the appended event, once', async () => {
  const answer = await request(JSON.stringify(announcement('nats-req-a')))
  expect(answer).toMatchObject({ status: 201, body: { status: 'appended', aggregateType: 'measure', aggregateId: 'nats-req-a', version: 1 } })
  const again = await request(JSON.stringify(announcement('nats-req-a')))
  expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', eventId: answer.body.eventId } })
  expect(await eventCount()).toBe(1)
})

it('refuses an invalid input with status 400 naming the failing fields, writing nothing', async () => {
  const before = await eventCount()
  const input = announcement('nats-req-b') as { source: object; data: object }
  const answer = await request(JSON.stringify({ ...input, occurredAt: 'yesterday', source: { ...input.source, url: 'not a url' } }))
  expect(answer.status).toBe(400)
  expect(answer.body).toMatchObject({ code: 'INVALID_REQUEST', status: 400 })
  expect(answer.body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['/occurredAt', '/source/url']))
  const badData = await request(JSON.stringify({ ...input, data: { ...input.data, imposer: 'XX' } }))
  expect(badData.body.errors?.map((e) => e.path)).toContain('/data/imposer')
  expect(await eventCount()).toBe(before)
})

it('refuses a body that is not JSON with status 400, writing nothing', async () => {
  const before = await eventCount()
  expect(await request('{"type": ')).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } })
  expect(await eventCount()).toBe(before)
})

it('answers a batch with one result per input: the invalid one rejected with its index in the path, the valid one recorded', async () => {
  const before = await eventCount()
  const invalid = { ...announcement('nats-req-c'), measureId: 'Not A Slug' }
  const answer = await request(JSON.stringify([announcement('nats-req-d'), invalid]))
  expect(answer.status).toBe(207)
  expect(answer.body).toMatchObject({
    summary: { appended: 1, rejected: 1 },
    results: [
      { index: 0, status: 'appended' },
      { index: 1, status: 'rejected' },
    ],
  })
  const rejected = (answer.body.results as { problem?: { errors: { path: string }[] } }[])[1]
  expect(rejected?.problem?.errors.map((e) => e.path)).toContain('/1/measureId')
  expect(await eventCount()).toBe(before + 1)
})
