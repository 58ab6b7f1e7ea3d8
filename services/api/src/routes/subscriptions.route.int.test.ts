import { Writable } from 'node:stream'
import { apiKeysEnv, loadConfig } from '@tradewatch/config'
import { createLogger } from '@tradewatch/logger'
import { apiKeyAuth, createHttpServer } from '@tradewatch/service-kit'
import { testApiKey, useTestEnvironment } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { subscriptionsRoute } from './subscriptions.route.js'

const env = useTestEnvironment()
const alice = testApiKey('alice', ['subscribe'])
const bob = testApiKey('bob', ['subscribe'])
const root = testApiKey('root', ['subscribe', 'admin'])
const reader = testApiKey('reader', ['read'])
const logLines: string[] = []
let app: FastifyInstance

beforeAll(async () => {
  const apiKeys = loadConfig(z.object(apiKeysEnv), { API_KEYS: [alice, bob, root, reader].map((k) => k.entry).join(',') }).API_KEYS
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  app = createHttpServer({ logger: createLogger({ service: 'api', level: 'debug', destination }) })
  await app.register(apiKeyAuth, { keys: apiKeys })
  await app.register(subscriptionsRoute, { db: env.db, apiKeys })
})
afterAll(() => app.close())

type Key = { key: string }
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, as: Key, body?: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method,
    url,
    headers: { 'x-api-key': as.key, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  })
const create = async (as: Key, body: Record<string, unknown> = {}) => {
  const answer = await call('POST', '/v1/subscriptions', as, { name: 'canada watch', filter: { countries: ['CA'] }, channel: { type: 'nats' }, ...body })
  expect(answer.statusCode, answer.body).toBe(201)
  return answer.json()
}
const row = (id: string) => env.db.selectFrom('subscriptions').selectAll().where('subscription_id', '=', id).executeTakeFirstOrThrow()
const rowCount = async () =>
  Number(
    (
      await env.db
        .selectFrom('subscriptions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('creating a subscription', () => {
  it('stores it for the calling key and answers 201 with its location and ETag', async () => {
    const answer = await call('POST', '/v1/subscriptions', alice, {
      name: 'EV surtaxes',
      filter: { imposers: ['CA'], origins: ['CN'], hs: ['8703'], rateDirection: 'decrease', minRateChangePp: 10 },
      channel: { type: 'sse' },
    })
    expect(answer.statusCode).toBe(201)
    const body = answer.json()
    expect(answer.headers.location).toBe(`/v1/subscriptions/${body.id}`)
    expect(answer.headers.etag).toBe('"1"')
    expect(body).toMatchObject({ name: 'EV surtaxes', owner: 'alice', active: true, version: 1, channel: { type: 'sse' } })
    expect((await row(body.id)).filter).toEqual({ imposers: ['CA'], origins: ['CN'], hs: ['8703'], rateDirection: 'decrease', minRateChangePp: 10 })
  })

  it('generates a webhook secret when none is sent, shows it in that answer only, and never logs it', async () => {
    const created = await create(alice, { channel: { type: 'webhook', url: 'https://hooks.example.com/tw' } })
    const secret: string = created.channel.secret
    expect(secret.length).toBeGreaterThanOrEqual(32)
    expect((await row(created.id)).channel).toEqual({ type: 'webhook', url: 'https://hooks.example.com/tw', secret })
    const read = await call('GET', `/v1/subscriptions/${created.id}`, alice)
    const listed = await call('GET', '/v1/subscriptions?limit=200', alice)
    expect(read.json().channel).toEqual({ type: 'webhook', url: 'https://hooks.example.com/tw' })
    expect(read.body).not.toContain(secret)
    expect(listed.body).not.toContain(secret)
    expect(logLines.join('')).toContain(created.id)
    expect(logLines.join('')).not.toContain(secret)
  })

  it.each([
    [{ name: 'x', filter: { hs: ['8'] }, channel: { type: 'nats' } }, '/body/filter/hs/0'],
    [{ name: 'x', filter: { countries: ['XX'] }, channel: { type: 'nats' } }, '/body/filter/countries/0'],
    [{ name: 'x', filter: { eventTypes: ['Nope'] }, channel: { type: 'nats' } }, '/body/filter/eventTypes/0'],
    [{ name: 'x', filter: { country: ['CA'] }, channel: { type: 'nats' } }, '/body/filter'],
    [{ name: 'x', channel: { type: 'webhook', url: 'https://example.com', secret: 'short' } }, '/body/channel/secret'],
    [{ name: 'x', channel: { type: 'webhook', url: 'gopher://example.com' } }, '/body/channel/url'],
    [{ name: '', channel: { type: 'nats' } }, '/body/name'],
    [{ name: 'x' }, '/body/channel'],
  ])('refuses %j with a 400 naming %s, and stores nothing', async (body, path) => {
    const before = await rowCount()
    const answer = await call('POST', '/v1/subscriptions', alice, body)
    expect(answer.statusCode).toBe(400)
    expect(answer.json().errors.map((e: { path: string }) => e.path)).toEqual([path])
    expect(await rowCount()).toBe(before)
  })

  it('refuses a name or secret Postgres cannot store (a NUL, a lone surrogate) naming it, and stores nothing', async () => {
    const before = await rowCount()
    const nul = await call('POST', '/v1/subscriptions', alice, { name: 'nul \u0000', channel: { type: 'sse' } })
    const lone = await call('POST', '/v1/subscriptions', alice, { name: 'lone \ud800', channel: { type: 'sse' } })
    const secret = await call('POST', '/v1/subscriptions', alice, {
      name: 'hook',
      channel: { type: 'webhook', url: 'https://hooks.example.org/tw', secret: `${'s'.repeat(40)}\u0000` },
    })
    expect([nul.statusCode, lone.statusCode, secret.statusCode]).toEqual([400, 400, 400])
    expect(nul.json().errors[0].path).toBe('/body/name')
    expect(lone.json().errors[0].path).toBe('/body/name')
    expect(secret.json().errors[0].path).toBe('/body/channel/secret')
    expect(await rowCount()).toBe(before)
  })

  it('needs the subscribe scope', async () => {
    expect((await call('POST', '/v1/subscriptions', reader, { name: 'x', channel: { type: 'nats' } })).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: '/v1/subscriptions' })).statusCode).toBe(401)
  })
})

describe('who sees what', () => {
  it("a key never sees, changes or deletes another key's subscription; an admin key sees all", async () => {
    const bobs = await create(bob, { name: 'bob only' })
    expect((await call('GET', `/v1/subscriptions/${bobs.id}`, alice)).statusCode).toBe(404)
    expect((await call('PATCH', `/v1/subscriptions/${bobs.id}`, alice, { name: 'mine now' })).statusCode).toBe(404)
    expect((await call('DELETE', `/v1/subscriptions/${bobs.id}`, alice)).statusCode).toBe(404)
    const alicesList = (await call('GET', '/v1/subscriptions?limit=200', alice)).json().items
    expect(alicesList.map((s: { owner: string }) => s.owner)).not.toContain('bob')
    expect((await call('GET', `/v1/subscriptions/${bobs.id}`, root)).json().name).toBe('bob only')
    expect((await row(bobs.id)).name).toBe('bob only')
  })

  it('pages through a list with cursors, each subscription once, oldest first', async () => {
    const made = [await create(bob, { name: 'p1' }), await create(bob, { name: 'p2' }), await create(bob, { name: 'p3' })]
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await call('GET', `/v1/subscriptions?limit=2${cursor ? `&cursor=${cursor}` : ''}`, bob)
      ).json()
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((s: { id: string }) => s.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.slice(-3)).toEqual(made.map((s) => s.id))
  })

  it('refuses a bad limit naming it', async () => {
    const answer = await call('GET', '/v1/subscriptions?limit=0', bob)
    expect(answer.statusCode).toBe(400)
    expect(answer.json().errors[0].path).toBe('/query/limit')
  })
})

describe('changing a subscription', () => {
  it('replaces the fields sent, bumps the version and the ETag', async () => {
    const created = await create(alice)
    const answer = await call('PATCH', `/v1/subscriptions/${created.id}`, alice, {
      filter: { countries: ['CN'], eventTypes: ['MeasureAnnounced'] },
      active: false,
    })
    expect(answer.statusCode).toBe(200)
    expect(answer.headers.etag).toBe('"2"')
    expect(answer.json()).toMatchObject({ version: 2, active: false, name: 'canada watch', filter: { countries: ['CN'], eventTypes: ['MeasureAnnounced'] } })
    expect((await row(created.id)).active).toBe(false)
  })

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const created = await create(alice)
    await call('PATCH', `/v1/subscriptions/${created.id}`, alice, { name: 'renamed' }, { 'if-match': '"1"' })
    const stale = await call('PATCH', `/v1/subscriptions/${created.id}`, alice, { name: 'lost update' }, { 'if-match': '"1"' })
    expect(stale.statusCode).toBe(412)
    expect(stale.json().code).toBe('SUBSCRIPTION_VERSION_MISMATCH')
    expect(await row(created.id)).toMatchObject({ name: 'renamed', version: 2 })
  })

  it('keeps the webhook secret when only the url changes, and shows a generated one once', async () => {
    const created = await create(alice, { channel: { type: 'webhook', url: 'https://a.example.com/', secret: 'a-secret-of-20-chars' } })
    const moved = await call('PATCH', `/v1/subscriptions/${created.id}`, alice, { channel: { type: 'webhook', url: 'https://b.example.com/' } })
    expect(moved.json().channel).toEqual({ type: 'webhook', url: 'https://b.example.com/' })
    expect((await row(created.id)).channel).toEqual({ type: 'webhook', url: 'https://b.example.com/', secret: 'a-secret-of-20-chars' })

    const nats = await create(alice)
    const toWebhook = (await call('PATCH', `/v1/subscriptions/${nats.id}`, alice, { channel: { type: 'webhook', url: 'https://c.example.com/' } })).json()
    expect(toWebhook.channel.secret).toEqual(((await row(nats.id)).channel as { secret: string }).secret)
  })

  it('refuses an empty or bad change naming the field', async () => {
    const created = await create(alice)
    const empty = await call('PATCH', `/v1/subscriptions/${created.id}`, alice, {})
    const bad = await call('PATCH', `/v1/subscriptions/${created.id}`, alice, { filter: { measureKinds: ['tarif'] } })
    expect([empty.statusCode, bad.statusCode]).toEqual([400, 400])
    expect(bad.json().errors[0].path).toBe('/body/filter/measureKinds/0')
    expect((await row(created.id)).version).toBe(1)
  })
})

describe('deleting a subscription', () => {
  it('stops it matching (active false) and hides it, keeping the row for alert history', async () => {
    const created = await create(alice)
    expect((await call('DELETE', `/v1/subscriptions/${created.id}`, alice)).statusCode).toBe(204)
    expect((await call('GET', `/v1/subscriptions/${created.id}`, alice)).statusCode).toBe(404)
    expect((await call('DELETE', `/v1/subscriptions/${created.id}`, alice)).statusCode).toBe(404)
    const kept = await row(created.id)
    expect(kept.active).toBe(false)
    expect(kept.deleted_at).toBeInstanceOf(Date)
  })
})
