import { readFileSync } from 'node:fs'
import { createDb } from '@tradewatch/db'
import type { Logger } from '@tradewatch/logger'
import { cloneDatabase, deleteStreams, dropDatabase, type ServiceProcess, startService, testApiKey, waitFor } from '@tradewatch/test-support'
import { sql } from 'kysely'
import type { NatsConnection } from 'nats'
import type { Measurement } from '../harness.js'
import { consumers } from './e2e.js'
import { type Preloaded, preload } from './projection.js'

const services = ['ingest', 'projection', 'alert', 'api'] as const

export interface RssOptions {
  serverUrl: string
  natsUrl: string
  nc: NatsConnection
  prefix: string
  logger: Logger
  /** Events in the preloaded store and stream (BENCH_RSS_EVENTS, default 1,000,000). */
  events: number
}

/** The peak resident set of a live process, in MB: the kernel's high-water mark, so no sample can miss a spike. */
function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  if (!kb) throw new Error(`no VmHWM in /proc/${pid}/status`)
  return Number(kb) / 1024
}

/**
 * `max_rss_mb`: `events` events preloaded into the store and the stream (once), then on a fresh copy of that
 * database all four services start, projection and alert from position 0, the api answering a timeline query each
 * second and ingest idle (its relay finds the stream at the head). When every read model and the alert checkpoint
 * is at the head, each process's peak RSS is read; the figure is the largest, and `max_rss_<service>_mb` each one's.
 */
export function rssMeasurements(options: RssOptions): { measurements: Measurement[]; close(): Promise<void> } {
  let preloaded: Preloaded | undefined
  let run = 0
  const peaks = new Map<string, number[]>(services.map((s) => [s, []]))

  const catchUp = async (): Promise<Record<string, number>> => {
    if (!preloaded) {
      const started = performance.now()
      preloaded = await preload(options, options.events)
      process.stderr.write(`max_rss_mb: preloaded ${preloaded.head} events in ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
    }
    const head = preloaded.head
    const copy = await cloneDatabase(options.serverUrl, preloaded.name, `rss${run++}`)
    const db = createDb(copy.url, { poolSize: 1 })
    const reader = testApiKey('bench-rss-reader', ['read'])
    const common = { DATABASE_URL: copy.url, NATS_URL: options.natsUrl, TRADEWATCH_PREFIX: options.prefix, LOG_LEVEL: 'warn' }
    const started: ServiceProcess[] = []
    let querying = true
    let queries: Promise<void> = Promise.resolve()
    try {
      const t0 = performance.now()
      started.push(await startService('ingest', { ...common, API_KEYS: testApiKey('bench-rss', ['ingest']).entry }))
      started.push(await startService('projection', common, { timeoutMs: 60_000 }))
      started.push(await startService('alert', common))
      const api = await startService('api', { ...common, API_KEYS: reader.entry })
      started.push(api)
      queries = (async () => {
        while (querying) {
          await fetch(`${api.url}/v1/timeline?country=US`, { headers: { 'x-api-key': reader.key } }).then((r) => r.arrayBuffer())
          await new Promise((resolve) => setTimeout(resolve, 1000))
        }
      })()
      await waitFor(
        'every read model and the alert checkpoint at the head',
        async () => {
          const { rows } = await sql<{ n: string }>`
            SELECT count(*) AS n FROM consumer_checkpoints WHERE name IN (${sql.join(consumers)}) AND position >= ${head}`.execute(db)
          return Number(rows[0]?.n) === consumers.length
        },
        3_600_000,
        500,
      )
      process.stderr.write(`max_rss_mb: ${head} events caught up in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`)
      return Object.fromEntries(started.map((s) => [s.name, peakRssMb(s.child.pid as number)]))
    } finally {
      querying = false
      await queries.catch(() => undefined)
      for (const service of started.reverse()) await service.stop()
      await db.destroy()
      await copy.drop()
    }
  }

  const max: Measurement = {
    name: 'max_rss_mb',
    unit: 'MB',
    target: { value: 250, higherIsBetter: false },
    warmUp: false,
    async run() {
      const byService = await catchUp()
      for (const [name, mb] of Object.entries(byService)) peaks.get(name)?.push(mb)
      return Math.max(...Object.values(byService))
    },
  }
  // Each service's peak from the runs `max_rss_mb` made (measured right after it, as the alert p99 is).
  const perService = services.map(
    (name): Measurement => ({
      name: `max_rss_${name}_mb`,
      unit: 'MB',
      target: { value: 250, higherIsBetter: false },
      warmUp: false,
      async run() {
        const stashed = peaks.get(name)?.shift()
        if (stashed !== undefined) return stashed
        return (await catchUp())[name] as number
      },
    }),
  )
  return {
    measurements: [max, ...perService],
    async close() {
      if (preloaded) await dropDatabase(options.serverUrl, preloaded.name)
      await deleteStreams(options.nc, options.prefix)
    },
  }
}
