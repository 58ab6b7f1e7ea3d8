import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { connect } from 'node:net'
import { apiKeysEnv, loadConfig } from '@tradewatch/config'
import { createLogger } from '@tradewatch/logger'
import { apiKeyAuth, createHttpServer } from '@tradewatch/service-kit'
import { testApiKey, useTestEnvironment } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { alertsStreamRoute } from './alerts-stream.route.js'

const env = useTestEnvironment()
const alice = testApiKey('alice', ['subscribe'])
const bob = testApiKey('bob', ['subscribe'])
let app: FastifyInstance
let base: string
let position = 0

const start = async (heartbeatMs = 60_000) => {
  const apiKeys = loadConfig(z.object(apiKeysEnv), { API_KEYS: `${alice.entry},${bob.entry}` }).API_KEYS
  const server = createHttpServer({ logger: createLogger({ service: 'api', level: 'silent' }) })
  await server.register(apiKeyAuth, { keys: apiKeys })
  await server.register(alertsStreamRoute, { db: env.db, apiKeys, databaseUrl: env.databaseUrl, heartbeatMs, batchSize: 50 })
  const address = await server.listen({ port: 0, host: '127.0.0.1' })
  return { server, address }
}

beforeAll(async () => {
  await env.db
    .insertInto('subscriptions')
    .values(
      ['alice-a', 'alice-b', 'bob-a'].map((id) => ({
        subscription_id: id,
        owner: id.split('-')[0] ?? null,
        name: id,
        filter: '{}',
        channel: '{"type":"sse"}',
      })),
    )
    .execute()
  ;({ server: app, address: base } = await start())
})
afterAll(() => app.close())

/** As the alert service writes them: one statement per batch, positions increasing. Returns the alert ids. */
async function createAlerts(count: number, subscription = 'alice-a', payload = '{}'): Promise<string[]> {
  const rows = Array.from({ length: count }, () => {
    position += 1
    return { alert_id: randomUUID(), subscription_id: subscription, event_id: randomUUID(), position, title: `alert at ${position}`, payload }
  })
  await env.db.insertInto('alerts').values(rows).execute()
  return rows.map((row) => row.alert_id)
}

interface SseEvent {
  id?: string
  event?: string
  data?: string
}

/** A minimal EventSource: frames parsed as they arrive; comments kept apart. */
async function openStream(url: string, key: string, headers: Record<string, string> = {}, paused?: Promise<void>) {
  const abort = new AbortController()
  const response = await fetch(`${base}${url}`, { headers: { 'x-api-key': key, ...headers }, signal: abort.signal })
  const events: SseEvent[] = []
  const comments: string[] = []
  let ended = false
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader()
  const pump = (async () => {
    await paused
    let buffer = ''
    try {
      while (reader) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += value
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const frame: SseEvent = {}
          for (const line of buffer.slice(0, end).split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            const [field, ...rest] = line.split(': ')
            if (field === 'id' || field === 'event' || field === 'data') frame[field] = rest.join(': ')
          }
          if (frame.event) events.push(frame)
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
        }
      }
    } catch {
      // aborted by the test
    }
    ended = true
  })()
  const until = async (condition: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`stream: condition not met in ${timeoutMs} ms; ${events.length} events so far`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  return {
    response,
    events,
    comments,
    alertIds: () => events.map((event) => JSON.parse(event.data ?? '{}').id as string),
    until,
    ended: () => ended,
    close: async () => {
      abort.abort()
      await pump
    },
  }
}

describe('the alert stream', () => {
  it('sends new alerts promptly, and after a reconnect with Last-Event-ID misses none and repeats none', async () => {
    await createAlerts(2) // before the client connects: not sent without Last-Event-ID
    const first = await openStream('/v1/alerts/stream', alice.key)
    expect(first.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    await first.until(() => first.comments.includes('connected'))

    const sentAt = Date.now()
    const before = await createAlerts(3)
    await first.until(() => first.events.length === 3)
    const latencyMs = Date.now() - sentAt
    expect(first.alertIds()).toEqual(before)
    expect(first.events.every((event) => event.event === 'alert')).toBe(true)
    const lastSeen = first.events.at(-1)?.id ?? ''
    await first.close()

    // While the client is away: alerts in several batches, for two of its subscriptions and someone else's.
    const missed = [...(await createAlerts(4)), ...(await createAlerts(2, 'alice-b'))]
    await createAlerts(3, 'bob-a')
    const again = await openStream('/v1/alerts/stream', alice.key, { 'last-event-id': lastSeen })
    await again.until(() => again.events.length >= missed.length)
    const later = await createAlerts(1)
    await again.until(() => again.events.length >= missed.length + 1)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(again.alertIds()).toEqual([...missed, ...later])
    await again.close()
    console.info(`SSE: alert committed → received in ${latencyMs} ms (3 alerts, LISTEN/NOTIFY)`)
    expect(latencyMs).toBeLessThan(1_000)
  })

  it('resumes from ?lastEventId= too, and streams one subscription when asked', async () => {
    const [a1] = await createAlerts(1, 'alice-a')
    const bAlerts = await createAlerts(2, 'alice-b')
    await createAlerts(2, 'alice-a')
    const stream = await openStream(`/v1/alerts/stream?subscription=alice-b&lastEventId=${position - 5}.${a1}`, alice.key)
    await stream.until(() => stream.events.length === 2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(stream.alertIds()).toEqual(bAlerts)
    await stream.close()
  })

  it("refuses another key's subscription and a bad Last-Event-ID", async () => {
    expect((await fetch(`${base}/v1/alerts/stream?subscription=bob-a`, { headers: { 'x-api-key': alice.key } })).status).toBe(404)
    const bad = await fetch(`${base}/v1/alerts/stream`, { headers: { 'x-api-key': alice.key, 'last-event-id': 'yesterday' } })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('/headers/last-event-id')
  })

  it('holds a client that does not read without losing or reordering alerts (back-pressure)', async () => {
    let resume = () => {}
    const stream = await openStream('/v1/alerts/stream?subscription=alice-a', alice.key, {}, new Promise<void>((resolve) => (resume = resolve)))
    const created: string[] = []
    // About 1.5 MB of frames, well past the socket buffers, while the client reads nothing.
    for (let batch = 0; batch < 10; batch++) created.push(...(await createAlerts(300)))
    await new Promise((resolve) => setTimeout(resolve, 300))
    resume()
    await stream.until(() => stream.events.length >= created.length, 30_000)
    expect(stream.alertIds()).toEqual(created)
    await stream.close()
  })
})

describe('a stream with nothing to send', () => {
  it('sends heartbeats, and ends cleanly when the server shuts down', async () => {
    const { server } = await start(100).then(async (started) => {
      base = started.address
      return started
    })
    const stream = await openStream('/v1/alerts/stream', bob.key)
    await stream.until(() => stream.comments.filter((c) => c === 'heartbeat').length >= 2)
    const closing = Date.now()
    await server.close()
    await stream.until(() => stream.ended(), 3_000)
    expect(Date.now() - closing).toBeLessThan(3_000)
  })

  it('cuts a client that stopped reading when the server shuts down, instead of waiting for it', async () => {
    const { server, address } = await start()
    const url = new URL(address)
    const socket = connect(Number(url.port), url.hostname)
    socket.write(`GET /v1/alerts/stream?subscription=alice-b HTTP/1.1\r\nhost: test\r\nx-api-key: ${alice.key}\r\n\r\n`)
    await once(socket, 'data')
    socket.pause()
    // About 12 MB of frames: far more than the socket buffers hold, while the client reads nothing.
    const padding = JSON.stringify({ padding: 'x'.repeat(4_000) })
    for (let batch = 0; batch < 6; batch++) await createAlerts(500, 'alice-b', padding)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const closing = Date.now()
    await server.close()
    expect(Date.now() - closing).toBeLessThan(3_000)
    socket.destroy()
  })
})
