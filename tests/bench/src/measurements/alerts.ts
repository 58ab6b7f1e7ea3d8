import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import { dropDatabase, type ServiceProcess, startService, testApiKey, uniqueName, withDatabase } from '@tradewatch/test-support'
import { type Measurement, percentile } from '../harness.js'
import { announcement } from './ingest.js'

/** A local webhook receiver that notes when each event's alert arrived. */
async function startReceiver() {
  const arrivals = new Map<string, number>()
  let waiter: { count: number; resolve: () => void } | undefined
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const at = performance.now()
      const { eventId, subscriptionId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string; subscriptionId: string }
      const key = `${subscriptionId}/${eventId}`
      if (!arrivals.has(key)) arrivals.set(key, at)
      res.writeHead(204).end()
      if (waiter && arrivals.size >= waiter.count) waiter.resolve()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    /** Resolves once `count` distinct alerts arrived in all (or rejects after `timeoutMs`). */
    until(count: number, timeoutMs: number) {
      if (arrivals.size >= count) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${arrivals.size} of ${count} alerts arrived in ${timeoutMs} ms`)), timeoutMs)
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        }
      })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export interface AlertBench {
  measurements: Measurement[]
  close(): Promise<void>
}

/**
 * The whole alert path as users see it, on its own database and prefix: ingest (relay on) → JetStream
 * → the alert service (real processes) → a webhook receiver on this machine. Webhook subscriptions
 * match every event. Latency is from the ingest response to the webhook's arrival.
 */
export async function alertBench(options: { serverUrl: string; natsUrl: string; prefix: string }): Promise<AlertBench> {
  const databaseName = uniqueName('tw_bench_alerts')
  const databaseUrl = withDatabase(options.serverUrl, databaseName)
  await ensureDatabase(databaseUrl)
  const db = createDb(databaseUrl, { poolSize: 2 })
  await migrateToLatest(db)
  const receiver = await startReceiver()
  const key = testApiKey('bench-alerts', ['ingest'])
  const common = { DATABASE_URL: databaseUrl, NATS_URL: options.natsUrl, TRADEWATCH_PREFIX: options.prefix, LOG_LEVEL: 'warn' }
  const services: ServiceProcess[] = []
  services.push(await startService('ingest', { ...common, API_KEYS: key.entry }))
  services.push(await startService('alert', { ...common, WEBHOOK_ALLOW_HOSTS: '127.0.0.1', ALERT_BATCH_SIZE: '1000' }))
  const ingestUrl = services[0]?.url ?? ''
  let subscriptions = 0
  let run = 1_000

  // Subscriptions are added as measurements need them; each matches every event from then on.
  const subscribe = async (count: number) => {
    const rows = Array.from({ length: count }, () => {
      const id = `bench-${++subscriptions}`
      return {
        subscription_id: id,
        name: id,
        filter: '{}',
        channel: JSON.stringify({ type: 'webhook', url: receiver.url, secret: 'whsec_bench_secret_value' }),
      }
    })
    await db.insertInto('subscriptions').values(rows).execute()
  }
  const post = async (body: unknown) => {
    const response = await fetch(`${ingestUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key.key },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    if (response.status !== 201) throw new Error(`ingest answered ${response.status}: ${text.slice(0, 300)}`)
    return { at: performance.now(), body: JSON.parse(text) as { eventId?: string } }
  }

  // One steady run at `rate` events/s for `seconds`, one event per request: latencies in ms.
  const steady = async (rate: number, seconds: number): Promise<number[]> => {
    const r = run++
    const total = rate * seconds
    const before = receiver.arrivals.size
    const answered = new Map<string, number>()
    const started = performance.now()
    const posts: Promise<void>[] = []
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / rate
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      posts.push(post(announcement(r, n)).then(({ at, body }) => void answered.set(body.eventId ?? '', at)))
    }
    await Promise.all(posts)
    await receiver.until(before + total * subscriptions, 60_000)
    return [...answered].map(([eventId, at]) => (receiver.arrivals.get(`bench-1/${eventId}`) ?? Number.NaN) - at)
  }

  // Each steady run gives both percentiles; the p99 measurement takes the p99 of the runs the p50 one made.
  const p99s: number[] = []
  const latencyP50: Measurement = {
    name: 'alert_latency_p50_ms',
    unit: 'ms',
    target: { value: 20, higherIsBetter: false },
    async run() {
      if (subscriptions === 0) await subscribe(1)
      const latencies = await steady(200, 5)
      p99s.push(percentile(latencies, 99))
      return percentile(latencies, 50)
    },
  }
  const latencyP99: Measurement = {
    name: 'alert_latency_p99_ms',
    unit: 'ms',
    target: { value: 100, higherIsBetter: false },
    async run() {
      const stashed = p99s.shift()
      if (stashed !== undefined) return stashed
      return percentile(await steady(200, 5), 99)
    },
  }

  // A burst far above what it can keep up with: alerts delivered per second while the backlog drains.
  const throughput: Measurement = {
    name: 'alerts_per_s',
    unit: 'alerts/s',
    target: { value: 2_000, higherIsBetter: true },
    async run() {
      if (subscriptions < 4) await subscribe(4 - subscriptions)
      const r = run++
      const events = 5_000
      const before = receiver.arrivals.size
      const started = performance.now()
      for (let i = 0; i < events; i += 500) await post(Array.from({ length: 500 }, (_, n) => announcement(r, i + n)))
      await receiver.until(before + events * subscriptions, 120_000)
      return (events * subscriptions) / ((performance.now() - started) / 1000)
    },
  }

  return {
    measurements: [latencyP50, latencyP99, throughput],
    async close() {
      for (const service of services.reverse()) await service.stop()
      await receiver.close()
      await db.destroy()
      await dropDatabase(options.serverUrl, databaseName)
    },
  }
}
