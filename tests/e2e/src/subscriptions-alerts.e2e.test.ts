import { readFileSync } from 'node:fs'
import path from 'node:path'
import { repoRoot, type ServiceProcess, startService, startServices, testApiKey, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const env = useTestEnvironment()
const announced = JSON.parse(readFileSync(path.join(repoRoot, 'docs/examples/ca-ev-surtax-announced.json'), 'utf8'))
const feeder = testApiKey('feeder', ['ingest'])
const alice = testApiKey('alice', ['subscribe'])
const services: Record<string, ServiceProcess> = {}

beforeAll(async () => {
  const common = {
    DATABASE_URL: env.databaseUrl,
    NATS_URL: env.natsUrl,
    TRADEWATCH_PREFIX: env.prefix,
    API_KEYS: `${feeder.entry},${alice.entry}`,
    LOG_LEVEL: 'warn',
  }
  // Ingest first: it provisions the streams the alert service consumes.
  services.ingest = await startService('ingest', common)
  Object.assign(services, await startServices(['alert', 'api'], common))
})
afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.kill()))
})

const api = async (method: string, url: string, body?: unknown) => {
  const response = await fetch(`${services.api?.url}${url}`, {
    method,
    headers: { 'x-api-key': alice.key, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as any) }
}

/** Announces a new measure by `imposer` on Chinese goods; resolves with the recorded event. */
async function announce(measureId: string, imposer = 'CA') {
  const response = await fetch(`${services.ingest?.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': feeder.key },
    body: JSON.stringify({
      ...announced,
      measureId,
      data: { ...announced.data, imposer, legalBasis: { ...announced.data.legalBasis, jurisdiction: imposer } },
    }),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as { eventId: string; position: number }
}

/** Until the alert service has judged everything up to `position`. */
const judged = (position: number) =>
  waitFor(
    `alert checkpoint at ${position}`,
    async () => {
      const row = await env.db.selectFrom('consumer_checkpoints').select('position').where('name', '=', 'alerts').executeTakeFirst()
      return Number(row?.position ?? 0) >= position
    },
    10_000,
    10,
  )
const alertedEvents = async (subscription: string) =>
  ((await api('GET', `/v1/alerts?subscription=${subscription}&limit=500`)).body.items as { eventId: string }[]).map((a) => a.eventId)

/** Reads the SSE stream until its first alert event; resolves with that alert's data. */
async function firstStreamedAlert(subscription: string, opened: () => void) {
  const response = await fetch(`${services.api?.url}/v1/alerts/stream?subscription=${subscription}`, { headers: { 'x-api-key': alice.key } })
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  for (;;) {
    const chunk = await reader?.read()
    if (!chunk || chunk.done) throw new Error(`stream ended before an alert: ${text}`)
    text += chunk.value
    if (text.includes(': connected')) opened()
    const data = /event: alert\ndata: (.*)\n\n/.exec(text)?.[1]
    if (data) {
      await reader?.cancel()
      return JSON.parse(data) as { eventId: string; title: string; subscriptionId: string }
    }
  }
}

describe('subscriptions through the api, alerts from real ingest and alert processes', () => {
  it('a subscription created through the api alerts on the next matching event, over SSE and in the history', async () => {
    // Warm-up: the first event after the services start pays for connections and consumers; this test measures the next.
    await judged((await announce('e2e-jp-0', 'JP')).position)
    const created = await api('POST', '/v1/subscriptions', { name: 'Canada on China', filter: { imposers: ['CA'], origins: ['CN'] }, channel: { type: 'sse' } })
    expect(created.status).toBe(201)
    const usOnly = await api('POST', '/v1/subscriptions', { name: 'US measures', filter: { imposers: ['US'] }, channel: { type: 'nats' } })

    let opened = () => {}
    const streamOpen = new Promise<void>((resolve) => (opened = resolve))
    const streamed = firstStreamedAlert(created.body.id, opened)
    await streamOpen
    const recorded = await announce('e2e-ca-1')
    const recordedAt = Date.now()
    const alert = await streamed
    const latencyMs = Date.now() - recordedAt
    console.info(`ingest answered → alert on the SSE stream: ${latencyMs} ms`)

    expect(alert).toMatchObject({ eventId: recorded.eventId, subscriptionId: created.body.id })
    expect(alert.title).toContain('Canada')
    expect(latencyMs).toBeLessThan(1_000)
    await judged(recorded.position)
    expect(await alertedEvents(created.body.id)).toEqual([recorded.eventId])
    expect(await alertedEvents(usOnly.body.id)).toEqual([])
  })

  it('a change or a delete through the api takes effect on the next event, without a restart', async () => {
    const watch = await api('POST', '/v1/subscriptions', { name: 'to be changed', filter: { imposers: ['US'] }, channel: { type: 'nats' } })
    const first = await announce('e2e-ca-2')
    await judged(first.position)
    expect(await alertedEvents(watch.body.id)).toEqual([])

    const changedAt = Date.now()
    expect((await api('PATCH', `/v1/subscriptions/${watch.body.id}`, { filter: { imposers: ['CA'] } })).status).toBe(200)
    const second = await announce('e2e-ca-3')
    await waitFor('the changed filter to match', async () => (await alertedEvents(watch.body.id)).includes(second.eventId), 5_000, 10)
    console.info(`filter changed → next event alerted in ${Date.now() - changedAt} ms`)
    expect(Date.now() - changedAt).toBeLessThan(1_000)

    expect((await api('DELETE', `/v1/subscriptions/${watch.body.id}`)).status).toBe(204)
    const third = await announce('e2e-ca-4')
    await judged(third.position)
    expect(await alertedEvents(watch.body.id)).toEqual([second.eventId])
  })
})
