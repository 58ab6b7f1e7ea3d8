import { spawn } from 'node:child_process'
import path from 'node:path'
import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import type { RawEnvelope } from '@tradewatch/domain'
import { createEventStore, type NewEvent, startRelay } from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import {
  cloneDatabase,
  deleteStreams,
  demoEnvelopes,
  dropDatabase,
  repoRoot,
  type ServiceProcess,
  startService,
  uniqueName,
  waitFor,
  withDatabase,
} from '@tradewatch/test-support'
import { sql } from 'kysely'
import type { NatsConnection } from 'nats'
import type { Measurement } from '../harness.js'

/** The projection service's read models: all must reach the head for a catch-up to count. */
export const readModels = ['measures', 'measure-history', 'tariff-lines', 'agreements', 'timeline', 'event-archive', 'relations']

export interface ProjectionBenchOptions {
  /** Any database on the server: the bench makes its own scratch ones. */
  serverUrl: string
  natsUrl: string
  nc: NatsConnection
  prefix: string
  logger: Logger
  /** Events in the preloaded stream (default 200,000). */
  events?: number
}

export interface Preloaded {
  /** The database holding the stream and nothing else: each catch-up runs on a copy of it. */
  name: string
  head: number
}

const asNewEvent = (e: RawEnvelope, copy: number): NewEvent => ({
  type: e.type,
  schemaVersion: e.schemaVersion,
  data: e.data,
  metadata: { occurredAt: e.occurredAt, effectiveAt: e.effectiveAt, source: e.source, correlationId: e.correlationId, causationId: null },
  idempotencyKey: `bench-${copy}-${e.id}`,
  recordedAt: new Date(e.recordedAt),
})

/**
 * Preloads `events` events: the demo data (decided by the real deciders) again and again, each copy under its
 * own measure and agreement ids, so every event passes the deciders and the read models see thousands of
 * distinct aggregates. Appended straight to the event store, a copy's streams at once, then relayed to JetStream.
 */
export async function preload(options: ProjectionBenchOptions, total: number): Promise<Preloaded> {
  const name = uniqueName('tw_bench_stream')
  const databaseUrl = withDatabase(options.serverUrl, name)
  await ensureDatabase(databaseUrl)
  const db = createDb(databaseUrl, { poolSize: 8 })
  await migrateToLatest(db)
  const store = createEventStore({ db, logger: options.logger })
  const demo = demoEnvelopes()
  const streams = [...new Set(demo.map((e) => e.aggregateId))]
  try {
    for (let copy = 0, appended = 0; appended < total; copy++) {
      const take = Math.min(demo.length, total - appended)
      const events = demo.slice(0, take)
      await Promise.all(
        streams.map(async (id) => {
          const own = events.filter((e) => e.aggregateId === id)
          if (own.length === 0) return
          const aggregateType = own[0]?.aggregateType ?? 'measure'
          await store.append(
            { aggregateType, aggregateId: `${id}-b${copy}` },
            own.map((e) => asNewEvent(e, copy)),
            { expectedVersion: 'no_stream' },
          )
        }),
      )
      appended += take
    }
    const head = await store.head()
    const relay = await startRelay({ db, databaseUrl, nc: options.nc, prefix: options.prefix, logger: options.logger })
    await waitFor('the stream relayed to JetStream', () => relay.status().publishedPosition === head, 600_000, 200)
    await relay.stop()
    return { name, head }
  } finally {
    await store.close()
    await db.destroy()
  }
}

/**
 * `projection_catchup_events_per_s`: the projection service (a real process, from dist) started on a copy of the
 * preloaded database, from 0, until all seven read models' checkpoints reach the head; events of the stream per
 * second, startup included. `rebuild_events_per_s`: `tradewatch projections rebuild` (all seven in one pass over
 * the event store) on the caught-up copy; events of the stream per wall second, from the start of the pass to the
 * last of the seven swaps.
 */
export function projectionMeasurements(options: ProjectionBenchOptions): { catchUp: Measurement; rebuild: Measurement; close(): Promise<void> } {
  let preloaded: Preloaded | undefined
  let caughtUp: { url: string; drop(): Promise<void> } | undefined
  let run = 0
  const dropCaughtUp = async () => {
    await caughtUp?.drop()
    caughtUp = undefined
  }
  return {
    catchUp: {
      name: 'projection_catchup_events_per_s',
      unit: 'events/s',
      target: { value: 20_000, higherIsBetter: true },
      // Each run is a fresh process on a fresh copy: a warm-up would only double a minutes-long figure.
      warmUp: false,
      async run() {
        preloaded ??= await preload(options, options.events ?? 200_000)
        const position = preloaded.head
        await dropCaughtUp()
        const copy = await cloneDatabase(options.serverUrl, preloaded.name, `pc${run++}`)
        caughtUp = copy
        const db = createDb(copy.url, { poolSize: 1 })
        let service: ServiceProcess | undefined
        try {
          const started = performance.now()
          service = await startService(
            'projection',
            { DATABASE_URL: copy.url, NATS_URL: options.natsUrl, TRADEWATCH_PREFIX: options.prefix, LOG_LEVEL: 'warn' },
            { timeoutMs: 60_000 },
          )
          await waitFor(
            'every read model at the head',
            async () => {
              const { rows } = await sql<{
                n: string
              }>`SELECT count(*) AS n FROM consumer_checkpoints WHERE name IN (${sql.join(readModels)}) AND position = ${position}`.execute(db)
              return Number(rows[0]?.n) === readModels.length
            },
            1_800_000,
            50,
          )
          return position / ((performance.now() - started) / 1000)
        } finally {
          await service?.stop()
          await db.destroy()
        }
      },
    },
    rebuild: {
      name: 'rebuild_events_per_s',
      unit: 'events/s',
      target: { value: 30_000, higherIsBetter: true },
      warmUp: false,
      async run() {
        if (!caughtUp) throw new Error('rebuild_events_per_s needs projection_catchup_events_per_s measured first')
        const reports = JSON.parse(await rebuildAll(caughtUp.url)) as { position: number; seconds: number }[]
        // Each report's seconds run from the start of the one pass to its swap: the last swap ends the rebuild.
        return Math.max(...reports.map((r) => r.position)) / Math.max(...reports.map((r) => r.seconds))
      },
    },
    async close() {
      await dropCaughtUp()
      if (preloaded) await dropDatabase(options.serverUrl, preloaded.name)
      await deleteStreams(options.nc, options.prefix)
    },
  }
}

/** Runs the projection service's rebuild of every read model; resolves to its JSON report. */
function rebuildAll(databaseUrl: string): Promise<string> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'services/projection/dist/rebuild/main.js'), '--json'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`rebuild exited ${code}`))))
  })
}
