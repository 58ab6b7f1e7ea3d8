import { randomUUID } from 'node:crypto'
import { apiKeysEnv, loadConfig } from '@tradewatch/config'
import { createLogger } from '@tradewatch/logger'
import { apiKeyAuth, createHttpServer } from '@tradewatch/service-kit'
import { testApiKey, useTestEnvironment } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { alertsRoute } from './alerts.route.js'

const env = useTestEnvironment()
const alice = testApiKey('alice', ['subscribe'])
const bob = testApiKey('bob', ['subscribe'])
const root = testApiKey('root', ['subscribe', 'admin'])
let app: FastifyInstance

/** Given: alerts as the alert service writes them, for subscriptions of alice (two) and bob (one). */
const alerts: { id: string; subscription: string; position: number; createdAt: string; countries: string[] }[] = []
beforeAll(async () => {
  const apiKeys = loadConfig(z.object(apiKeysEnv), { API_KEYS: [alice, bob, root].map((k) => k.entry).join(',') }).API_KEYS
  app = createHttpServer({ logger: createLogger({ service: 'api', level: 'silent' }) })
  await app.register(apiKeyAuth, { keys: apiKeys })
  await app.register(alertsRoute, { db: env.db, apiKeys })

  const subscriptions = [
    { subscription_id: 'alice-canada', owner: 'alice' },
    { subscription_id: 'alice-china', owner: 'alice' },
    { subscription_id: 'bob-all', owner: 'bob' },
  ]
  await env.db
    .insertInto('subscriptions')
    .values(subscriptions.map((s) => ({ ...s, name: s.subscription_id, filter: '{}', channel: '{"type":"sse"}' })))
    .execute()
  for (let position = 1; position <= 6; position++) {
    const eventId = randomUUID()
    const countries = position % 2 === 0 ? ['CA', 'CN'] : ['US', 'MX']
    await env.db
      .insertInto('timeline')
      .values({
        position,
        event_id: eventId,
        event_type: 'MeasureAnnounced',
        aggregate_type: 'measure',
        aggregate_id: `m-${position}`,
        aggregate_version: 1,
        occurred_at: '2026-01-16',
        occurred_on: '2026-01-16',
        effective_on: '2026-01-16',
        recorded_at: new Date(),
        title: `measure ${position}`,
        summary: 'summary',
        countries,
        hs_codes: [],
        hs_prefixes: [],
        source_kind: 'news',
        source_url: 'https://example.com/',
        source_title: 'example',
      })
      .execute()
    for (const subscription of position <= 3 ? ['alice-canada', 'bob-all'] : ['alice-china', 'alice-canada', 'bob-all']) {
      const id = randomUUID()
      const createdAt = `2026-01-16T00:0${position}:00.000Z`
      await env.db
        .insertInto('alerts')
        .values({
          alert_id: id,
          subscription_id: subscription,
          event_id: eventId,
          position,
          title: `alert ${position}`,
          payload: '{"summary":"s"}',
          created_at: new Date(createdAt),
        })
        .execute()
      alerts.push({ id, subscription, position, createdAt, countries })
    }
  }
})
afterAll(() => app.close())

const get = (url: string, as: { key: string }) => app.inject({ method: 'GET', url, headers: { 'x-api-key': as.key } })
/** Expected ids in the order the API pages them: (position, alert id). */
const expected = (keep: (alert: (typeof alerts)[number]) => boolean) =>
  alerts
    .filter(keep)
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1))
    .map((a) => a.id)
const ids = async (url: string, as: { key: string }) => {
  const answer = await get(url, as)
  expect(answer.statusCode, answer.body).toBe(200)
  return answer.json().items.map((item: { id: string }) => item.id)
}

describe('alert history', () => {
  it("shows a key only its own subscriptions' alerts, in cursor order; an admin all", async () => {
    expect(await ids('/v1/alerts', alice)).toEqual(expected((a) => a.subscription.startsWith('alice')))
    expect(await ids('/v1/alerts', bob)).toEqual(expected((a) => a.subscription === 'bob-all'))
    expect(await ids('/v1/alerts?limit=500', root)).toEqual(expected(() => true))
  })

  it('filters by subscription, time and country', async () => {
    expect(await ids('/v1/alerts?subscription=alice-china', alice)).toEqual(expected((a) => a.subscription === 'alice-china'))
    expect(await ids('/v1/alerts?from=2026-01-16T00:02:00Z&to=2026-01-16T00:05:00Z', alice)).toEqual(
      expected((a) => a.subscription.startsWith('alice') && a.position >= 2 && a.position < 5),
    )
    expect(await ids('/v1/alerts?country=CN', bob)).toEqual(expected((a) => a.subscription === 'bob-all' && a.countries.includes('CN')))
  })

  it('pages with nextCursor: every alert once', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await get(`/v1/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, alice)).json()
      seen.push(...page.items.map((item) => item.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(expected((a) => a.subscription.startsWith('alice')))
  })

  it("answers 404 for another key's subscription, and 400 naming a bad field", async () => {
    expect((await get('/v1/alerts?subscription=bob-all', alice)).statusCode).toBe(404)
    for (const [query, path] of [
      ['country=Canada', '/query/country'],
      ['from=yesterday', '/query/from'],
      ['cursor=12', '/query/cursor'],
      ['subscriptions=x', '/query'],
    ]) {
      const answer = await get(`/v1/alerts?${query}`, alice)
      expect(answer.statusCode).toBe(400)
      expect(answer.json().errors[0].path).toBe(path)
    }
  })
})

describe('one alert', () => {
  it('is shown to the key whose subscription made it, with its content', async () => {
    const alert = alerts.find((a) => a.subscription === 'alice-china')
    if (!alert) throw new Error('fixture missing')
    const answer = await get(`/v1/alerts/${alert.id}`, alice)
    expect(answer.statusCode).toBe(200)
    expect(answer.json()).toMatchObject({ id: alert.id, subscriptionId: 'alice-china', position: alert.position, content: { summary: 's' } })
    expect(answer.json().deliveries).toEqual([])
    expect((await get(`/v1/alerts/${alert.id}`, bob)).statusCode).toBe(404)
    expect((await get('/v1/alerts/not-a-uuid', bob)).json().errors[0].path).toBe('/params/id')
  })

  it('shows the status of its webhook delivery, as the alert service records it', async () => {
    const alert = alerts.find((a) => a.subscription === 'bob-all')
    if (!alert) throw new Error('fixture missing')
    await env.db
      .insertInto('deliveries')
      .values({
        delivery_id: alert.id,
        subscription_id: 'bob-all',
        status: 'dead',
        attempts: 3,
        last_status_code: 503,
        last_error: 'HTTP 503',
        dead_at: new Date(),
      })
      .execute()
    const answer = await get(`/v1/alerts/${alert.id}`, bob)
    expect(answer.json().deliveries).toEqual([
      {
        channel: 'webhook',
        status: 'dead',
        attempts: 3,
        nextAttemptAt: null,
        lastAttemptAt: null,
        lastStatusCode: 503,
        lastError: 'HTTP 503',
        deliveredAt: null,
        deadAt: expect.any(String),
      },
    ])
  })
})
