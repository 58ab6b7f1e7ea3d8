import { readFileSync } from 'node:fs'
import path from 'node:path'
import { subjects } from '@tradewatch/domain'
import { repoRoot, type ServiceProcess, startService, startServices, testApiKey, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import type { Msg, Subscription } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const env = useTestEnvironment()
const example = JSON.parse(readFileSync(path.join(repoRoot, 'docs/examples/ca-ev-surtax-announced.json'), 'utf8'))
const services: Record<string, ServiceProcess> = {}
const feeder = testApiKey('feeder', ['ingest'])
const analyst = testApiKey('analyst', ['read'])
const ingestHeaders = { 'content-type': 'application/json', 'x-api-key': feeder.key }
const alerts: Msg[] = []
let subscription: Subscription

beforeAll(async () => {
  const common = { DATABASE_URL: env.databaseUrl, NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: env.prefix, API_KEYS: `${feeder.entry},${analyst.entry}` }
  // Ingest first: it provisions the streams the others consume.
  services.ingest = await startService('ingest', common)
  Object.assign(services, await startServices(['projection', 'alert', 'api'], common))
  await env.db
    .insertInto('subscriptions')
    .values({ subscription_id: 'everything', name: 'Every change', filter: JSON.stringify({}), channel: JSON.stringify({ type: 'nats' }) })
    .execute()
  subscription = env.nc.subscribe(subjects.allAlerts(env.prefix))
  void (async () => {
    for await (const m of subscription) alerts.push(m)
  })()
})

afterAll(async () => {
  subscription?.unsubscribe()
  await Promise.all(Object.values(services).map((s) => s.kill()))
})

describe('walking skeleton: one measure event through four real processes', () => {
  it('is recorded, projected, served and alerted within a second', async () => {
    const posted = await fetch(`${services.ingest?.url}/v1/events`, {
      method: 'POST',
      headers: ingestHeaders,
      body: JSON.stringify(example),
    })
    expect(posted.status).toBe(201)
    const recorded = (await posted.json()) as { status: string; eventId: string; position: number; version: number }
    expect(recorded).toMatchObject({ status: 'appended', aggregateType: 'measure', aggregateId: 'ca-cn-ev-surtax', version: 1 })
    const postedAt = Date.now()

    const measure = await waitFor(
      'the measure on the api',
      async () => {
        const response = await fetch(`${services.api?.url}/v1/measures/ca-cn-ev-surtax`, { headers: { 'x-api-key': analyst.key } })
        return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined
      },
      5_000,
      10,
    )
    const alert = await waitFor('the alert on NATS', () => alerts.find((m) => m.subject === subjects.alert(env.prefix, 'everything')), 5_000, 10)
    expect(Date.now() - postedAt).toBeLessThan(1_000)

    expect(measure).toMatchObject({
      id: 'ca-cn-ev-surtax',
      title: 'Surtax on Chinese electric vehicles',
      kind: 'surtax',
      status: 'announced',
      imposer: 'CA',
      targets: ['CN'],
      adValoremRate: 100,
      version: 1,
      position: recorded.position,
    })
    const payload = alert.json<{ subscriptionId: string; title: string; event: { id: string; source: { url: string } } }>()
    expect(payload.subscriptionId).toBe('everything')
    expect(payload.event.id).toBe(recorded.eventId)
    expect(payload.event.source.url).toBe(example.source.url)
    expect(payload.title).toContain('Canada')
  })

  it('the same submission again is a duplicate, and makes no second alert', async () => {
    const again = await fetch(`${services.ingest?.url}/v1/events`, {
      method: 'POST',
      headers: ingestHeaders,
      body: JSON.stringify(example),
    })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ status: 'duplicate', version: 1 })
    const rows = await env.db.selectFrom('alerts').select('alert_id').execute()
    expect(rows).toHaveLength(1)
  })

  it('each service answers /healthz, /readyz and /metrics', async () => {
    for (const service of Object.values(services)) {
      expect((await fetch(`${service.url}/healthz`)).status, service.name).toBe(200)
      expect((await fetch(`${service.url}/readyz`)).status, service.name).toBe(200)
      const metrics = await (await fetch(`${service.url}/metrics`)).text()
      expect(metrics, service.name).toContain('tradewatch_process_resident_memory_bytes')
    }
  })

  it('each service shuts down cleanly on SIGTERM', async () => {
    for (const name of ['api', 'alert', 'projection', 'ingest']) {
      const service = services[name] as ServiceProcess
      expect(await service.stop('SIGTERM'), name).toBe(0)
      expect(
        service.lines.some((line) => line.includes('"msg":"shut down"')),
        name,
      ).toBe(true)
    }
  })
})
