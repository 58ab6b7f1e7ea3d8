import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { repoRoot, type ServiceProcess, startService, testApiKey, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The four services as real processes at LOG_LEVEL=trace, driven with API keys, a webhook with a secret and a
// DATABASE_URL with a password (trust auth ignores it, but every service holds it): no line any of them writes may
// carry one of those secrets, not even the lines of refused requests and failed deliveries.
const env = useTestEnvironment()
const announced = JSON.parse(readFileSync(path.join(repoRoot, 'docs/examples/ca-ev-surtax-announced.json'), 'utf8'))
const feeder = testApiKey('feeder', ['ingest'])
const alice = testApiKey('alice', ['subscribe', 'read'])
/** A key no service knows: refused with a 401, and no more loggable than a real one. */
const stranger = testApiKey('stranger', ['ingest'])
const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`
const rotatedSecret = `whsec_${randomBytes(24).toString('hex')}`
const databasePassword = `pw_${randomBytes(16).toString('hex')}`
const secrets = { feederKey: feeder.key, aliceKey: alice.key, strangerKey: stranger.key, webhookSecret, rotatedSecret, databasePassword }

const services: Record<string, ServiceProcess> = {}
let receiver: Server
let receiverUrl: string
const received: { signature: string | undefined; body: string }[] = []

beforeAll(async () => {
  // The first delivery fails (a 500 the alert service logs and retries), the next ones succeed.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ signature: req.headers['x-tradewatch-signature']?.toString(), body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(received.length === 1 ? 500 : 204).end(received.length === 1 ? 'try again' : undefined)
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`

  const databaseUrl = new URL(env.databaseUrl)
  databaseUrl.password = databasePassword
  const common = {
    DATABASE_URL: databaseUrl.toString(),
    NATS_URL: env.natsUrl,
    TRADEWATCH_PREFIX: env.prefix,
    API_KEYS: `${feeder.entry},${alice.entry}`,
    LOG_LEVEL: 'trace',
  }
  services.ingest = await startService('ingest', common)
  const [projection, alert, api] = await Promise.all([
    startService('projection', common),
    startService('alert', { ...common, WEBHOOK_ALLOW_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_BASE_MS: '50', WEBHOOK_BACKOFF_MAX_MS: '200' }),
    startService('api', common),
  ])
  Object.assign(services, { projection, alert, api })
}, 120_000)
afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.kill()))
  receiver?.closeAllConnections()
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()))
})

const call = async (service: string, method: string, url: string, headers: Record<string, string>, body?: unknown) => {
  const response = await fetch(`${services[service]?.url}${url}`, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  return { status: response.status, text: await response.text() }
}

describe('secrets in logs', () => {
  it('never writes an API key, a webhook secret or the database password to any log line', async () => {
    // Given a webhook subscription with a secret, then rotated to another
    const created = await call(
      'api',
      'POST',
      '/v1/subscriptions',
      { 'x-api-key': alice.key },
      {
        name: 'canadian measures',
        filter: { countries: ['CA'] },
        channel: { type: 'webhook', url: receiverUrl, secret: webhookSecret },
      },
    )
    expect(created.status).toBe(201)
    const id = (JSON.parse(created.text) as { id: string }).id
    const rotated = await call(
      'api',
      'PATCH',
      `/v1/subscriptions/${id}`,
      { authorization: `Bearer ${alice.key}` },
      {
        channel: { type: 'webhook', url: receiverUrl, secret: rotatedSecret },
      },
    )
    expect(rotated.status).toBe(200)

    // When events are recorded, queried, and requests come with wrong keys, keys lacking a scope and bad bodies
    const recorded = await call('ingest', 'POST', '/v1/events', { 'x-api-key': feeder.key }, { ...announced, measureId: 'secrets-probe-surtax' })
    expect(recorded.status).toBe(201)
    const refusals = [
      await call('ingest', 'POST', '/v1/events', { 'x-api-key': stranger.key }, announced),
      await call('ingest', 'POST', '/v1/events', { authorization: `Bearer ${stranger.key}` }, announced),
      await call('ingest', 'POST', '/v1/events', { 'x-api-key': alice.key }, announced),
      await call('ingest', 'POST', '/v1/events', { 'x-api-key': feeder.key }, { ...announced, measureId: feeder.key }),
      await call('api', 'GET', '/v1/measures', { 'x-api-key': stranger.key }),
      await call('api', 'GET', '/v1/measures', { 'x-api-key': feeder.key }),
      await call('api', 'GET', '/v1/subscriptions', { authorization: `Bearer ${stranger.key}` }),
      await call(
        'api',
        'POST',
        '/v1/subscriptions',
        { 'x-api-key': alice.key },
        { name: 'x', channel: { type: 'webhook', url: receiverUrl, secret: 'short' } },
      ),
      await call('api', 'POST', '/v1/subscriptions', { 'x-api-key': alice.key }, '{"name": "broken'),
    ]
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 403, 400, 401, 403, 401, 400, 400])
    expect((await call('api', 'GET', '/v1/subscriptions', { 'x-api-key': alice.key })).status).toBe(200)

    // Then the alert reaches the webhook, signed, after one failed attempt
    await waitFor('the webhook delivered after a retry', () => received.length >= 2, 60_000, 50)
    expect(received[1]?.signature).toBeTruthy()

    // And no line of any service carries a secret, although each logged at trace level
    for (const service of Object.values(services)) {
      expect(service.lines.length, `${service.name} logged`).toBeGreaterThan(0)
      const leaks = Object.entries(secrets).flatMap(([what, secret]) =>
        service.lines.filter((line) => line.includes(secret)).map((line) => `${what}: ${line.slice(0, 300)}`),
      )
      expect({ service: service.name, leaks }).toEqual({ service: service.name, leaks: [] })
    }
    // The refusals and the failed attempt were logged, and checked above.
    const messages = Object.values(services).flatMap((s) => s.lines.map((line) => (JSON.parse(line) as { msg?: string }).msg))
    expect(messages).toContain('request refused')
    expect(messages).toContain('webhook attempt failed')
  }, 120_000)

  it('keeps the database password out of the errors of a database that cannot be reached', async () => {
    // Given an api whose database refuses connections (port 1), with the password in its URL
    const unreachable = new URL(env.databaseUrl)
    unreachable.password = databasePassword
    unreachable.port = '1'
    const api = await startService(
      'api',
      { DATABASE_URL: unreachable.toString(), NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: env.prefix, API_KEYS: alice.entry, LOG_LEVEL: 'trace' },
      { waitFor: 'healthz' },
    )
    try {
      // When it is asked whether it is ready, and to query
      expect((await fetch(`${api.url}/readyz`)).status).toBe(503)
      expect((await fetch(`${api.url}/v1/measures`, { headers: { 'x-api-key': alice.key } })).status).toBeGreaterThanOrEqual(500)
      // Then it logged the failure, without the password
      await waitFor('the failure logged', () => api.lines.some((line) => line.includes('"level":"error"')), 10_000, 50)
      expect(api.lines.filter((line) => line.includes(databasePassword) || line.includes(alice.key))).toEqual([])
    } finally {
      await api.kill()
    }
  }, 60_000)
})
