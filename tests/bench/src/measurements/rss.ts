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
  /** A run stops once a service's RSS passes this (BENCH_RSS_ABORT_MB, default 2,048). */
  abortMb: number
}

/** A live process's resident set now (`VmRSS`) or at its peak (`VmHWM`, the kernel's high-water mark, which no sample can miss), in MB. */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  if (!kb) throw new Error(`no ${field} in /proc/${pid}/status`)
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
      // A service past `abortMb` ends the run early: the figure has failed by then, and a 1,000,000-event catch-up
      // left to grow could take the shared machine's memory (and its Postgres) with it.
      let overgrown: string | undefined
      await waitFor(
        'every read model and the alert checkpoint at the head',
        async () => {
          overgrown = started.find((s) => rssMb(s.child.pid as number, 'VmRSS') > options.abortMb)?.name
          if (overgrown) return true
          const { rows } = await sql<{ n: string }>`
            SELECT count(*) AS n FROM consumer_checkpoints WHERE name IN (${sql.join(consumers)}) AND position >= ${head}`.execute(db)
          return Number(rows[0]?.n) === consumers.length
        },
        3_600_000,
        500,
      )
      const seconds = ((performance.now() - t0) / 1000).toFixed(0)
      if (overgrown) {
        const { rows } = await sql<{ p: string }>`SELECT min(position) AS p FROM consumer_checkpoints WHERE name IN (${sql.join(consumers)})`.execute(db)
        process.stderr.write(
          `max_rss_mb: ${overgrown} passed ${options.abortMb} MB after ${seconds} s, slowest consumer at ${rows[0]?.p} of ${head}: stopped\n`,
        )
      } else process.stderr.write(`max_rss_mb: ${head} events caught up in ${seconds} s\n`)
      return Object.fromEntries(started.map((s) => [s.name, rssMb(s.child.pid as number, 'VmHWM')]))
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
