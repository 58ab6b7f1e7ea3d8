import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import { createEventStore } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { adminQuery, dropDatabase, processToken, repoRoot, startService, testApiKey, testPrefix, uniqueName, withDatabase } from '@tradewatch/test-support'
import { connect, type NatsConnection } from 'nats'
import { type Measurement, machine, measure, met, ofLimit, type Result, table } from './harness.js'
import { alertBench } from './measurements/alerts.js'
import { e2eBench } from './measurements/e2e.js'
import { relayThroughput, storeBatchAppend, storeSingleAppend } from './measurements/event-store.js'
import { ingestBatches, ingestSingles } from './measurements/ingest.js'
import { jsPublishLimit, jsReplayLimit, pgBatchInsertLimit, pgCopyLimit } from './measurements/limits.js'
import { projectionMeasurements } from './measurements/projection.js'
import { startQueryBench } from './measurements/queries.js'
import { rssMeasurements } from './measurements/rss.js'

/** A group of measurements that share their setup; `--only` names groups. */
interface Suite {
  name: string
  open(): Promise<{ measurements: Measurement[]; close?(): Promise<void> }>
}

/** A metric as bench/results.json keeps it. */
interface Recorded {
  median: number
  min: number
  max: number
  runs: number[]
  unit: string
  target?: Result['target']
  met?: boolean
  limit?: string
  ofLimit?: number
  measuredAt: string
}

const round = (value: number) => Math.round(value * 100) / 100

/** `--only=e2e,rss` or BENCH_ONLY=e2e,rss; undefined: every suite. */
function onlySuites(): Set<string> | undefined {
  const flag = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length) ?? process.env.BENCH_ONLY
  return flag
    ? new Set(
        flag
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
    : undefined
}

/** Metrics of earlier runs: a subset run keeps the others, and takes the limits its ratios need from them. */
function previousMetrics(file: string): Record<string, Recorded | number> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).metrics ?? {}
  } catch {
    return {}
  }
}

/** Every stream this run made: all sub-prefixes start with the run's own. */
async function deleteStreamsUnder(nc: NatsConnection, prefix: string) {
  const jsm = await nc.jetstreamManager()
  const upper = prefix.toUpperCase()
  for await (const stream of jsm.streams.list()) {
    if (stream.config.name.startsWith(upper)) await jsm.streams.delete(stream.config.name)
  }
}

/** Scratch databases (and their clones) this run created that a failed setup may have left behind. */
async function benchDatabases(serverUrl: string): Promise<string[]> {
  const { rows } = await adminQuery<{ datname: string }>(
    serverUrl,
    `SELECT datname FROM pg_database WHERE datname LIKE 'tw\\_bench\\_%' OR datname LIKE 'tw\\_test\\_pc%' OR datname LIKE 'tw\\_test\\_rss%'`,
  )
  return rows.map((r) => r.datname)
}

/**
 * `pnpm bench`: loads its own data into scratch databases and a stream prefix, measures the machine's limits and
 * the system's figures (warm-up + REPETITIONS runs, median), prints a table and writes bench/results.json. Whatever
 * fails, and on SIGINT/SIGTERM, the scratch databases, streams and processes are removed.
 */
async function main() {
  const repetitions = Number(process.env.BENCH_REPETITIONS ?? 3)
  const only = onlySuites()
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'
  const databaseName = uniqueName('tw_bench')
  const databaseUrl = withDatabase(serverUrl, databaseName)
  const prefix = testPrefix()
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const logger = createLogger({ service: 'bench', level: 'warn' })
  const file = path.join(repoRoot, 'bench', 'results.json')

  // Clean-ups run last first, from the finally below or from a signal.
  const cleanups: (() => Promise<unknown>)[] = []
  // One pass for everyone: a signal and the failing run it interrupts both wait for the whole of it.
  let cleaning: Promise<void> | undefined
  const cleanUp = () => {
    cleaning ??= (async () => {
      for (let step = cleanups.pop(); step; step = cleanups.pop()) await step().catch((err) => log(`clean-up failed: ${err}`))
    })()
    return cleaning
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`)
      void cleanUp().finally(() => process.exit(130))
    })
  }

  const results: Result[] = []
  const ran: string[] = []
  let versions = { postgres: 'unknown', nats: 'unknown' }
  try {
    // Only this process's: a concurrent bench's databases carry another token.
    cleanups.push(async () => {
      for (const name of await benchDatabases(serverUrl)) if (name.includes(`_${processToken}`)) await dropDatabase(serverUrl, name)
    })
    await ensureDatabase(databaseUrl)
    const db = createDb(databaseUrl, { poolSize: 8 })
    cleanups.push(() => db.destroy())
    // As the services connect: without per-request async stack traces, which cost the relay ~20% of its CPU.
    const nc = await connect({ servers: natsUrl, noAsyncTraces: true })
    cleanups.push(async () => {
      await deleteStreamsUnder(nc, prefix)
      await nc.close()
    })
    const store = createEventStore({ db, logger })
    cleanups.push(() => store.close())
    const { rows } = await adminQuery<{ server_version: string }>(serverUrl, 'SHOW server_version')
    versions = { postgres: rows[0]?.server_version ?? 'unknown', nats: nc.info?.version ?? 'unknown' }

    const suites: Suite[] = [
      {
        name: 'limits',
        open: async () => ({
          measurements: [pgBatchInsertLimit(databaseUrl), pgCopyLimit(databaseUrl), jsPublishLimit(nc, prefix), jsReplayLimit(nc, prefix)],
        }),
      },
      {
        name: 'store',
        open: async () => ({
          measurements: [
            { ...storeBatchAppend(store), limit: 'limit_pg_batch_insert_rows_per_s' },
            { ...storeSingleAppend(store), limit: 'limit_pg_batch_insert_rows_per_s' },
          ],
        }),
      },
      {
        name: 'ingest',
        async open() {
          const key = testApiKey('bench', ['ingest'])
          // The real ingest process, relay off: these figures are HTTP → committed in Postgres.
          const ingest = await startService('ingest', {
            DATABASE_URL: databaseUrl,
            NATS_URL: natsUrl,
            TRADEWATCH_PREFIX: `${prefix}i`,
            API_KEYS: key.entry,
            RELAY_ENABLED: 'false',
            LOG_LEVEL: 'warn',
          })
          const target = { url: ingest.url, apiKey: key.key }
          return { measurements: [ingestBatches(target), ingestSingles(target)], close: async () => void (await ingest.stop()) }
        },
      },
      {
        name: 'relay',
        async open() {
          // Run alone, the relay would find an empty store: give it what the store suite appends.
          if ((await store.head()) === 0) await storeBatchAppend(store).run()
          return {
            measurements: [
              {
                ...relayThroughput({ db, databaseUrl, nc, store, logger, basePrefix: prefix }),
                target: { value: 15_000, higherIsBetter: true },
                limit: 'limit_js_publish_per_s',
              },
            ],
          }
        },
      },
      {
        // Query latency: 100,000 measures loaded straight into the read models, 50 clients against the real api process.
        name: 'queries',
        async open() {
          const queries = await startQueryBench({ db, databaseUrl })
          return { measurements: queries.measurements, close: queries.stop }
        },
      },
      // The alert path on its own database, so the events above are not judged first.
      { name: 'alerts', open: () => alertBench({ serverUrl, natsUrl, prefix: `${prefix}a` }) },
      {
        // Read models from a preloaded stream of BENCH_PROJECTION_EVENTS (default 200,000), its own database and prefix: catch-up, then rebuild.
        name: 'projection',
        async open() {
          const events = Number(process.env.BENCH_PROJECTION_EVENTS ?? 200_000)
          const projection = projectionMeasurements({ serverUrl, natsUrl, nc, prefix: `${prefix}p`, logger, events })
          return { measurements: [projection.catchUp, projection.rebuild], close: projection.close }
        },
      },
      {
        name: 'e2e',
        open: () => e2eBench({ serverUrl, natsUrl, prefix: `${prefix}e`, seconds: Number(process.env.BENCH_E2E_SECONDS ?? 60) }),
      },
      {
        name: 'rss',
        open: async () =>
          rssMeasurements({
            serverUrl,
            natsUrl,
            nc,
            prefix: `${prefix}s`,
            logger,
            events: Number(process.env.BENCH_RSS_EVENTS ?? 1_000_000),
            abortMb: Number(process.env.BENCH_RSS_ABORT_MB ?? 2_048),
          }),
      },
    ]
    const unknown = [...(only ?? [])].filter((name) => !suites.some((s) => s.name === name))
    if (unknown.length > 0) throw new Error(`unknown suite(s) ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`)

    await migrateToLatest(db)
    for (const suite of suites.filter((s) => !only || only.has(s.name))) {
      log(`── ${suite.name}`)
      ran.push(suite.name)
      const opened = await suite.open()
      const close = opened.close
      if (close) cleanups.push(close)
      for (const m of opened.measurements) results.push(await measure(m, repetitions, log))
      if (close) {
        cleanups.splice(cleanups.indexOf(close), 1)
        await close()
      }
    }
  } finally {
    await cleanUp()
  }

  const previous = previousMetrics(file)
  const limits = new Map<string, number>(Object.entries(previous).map(([name, r]) => [name, typeof r === 'number' ? r : r.median]))
  for (const r of results) limits.set(r.name, r.median)
  console.log(table(results, limits))
  const measuredAt = new Date().toISOString()
  const metrics: Record<string, Recorded | number> = { ...previous }
  for (const r of results) {
    const ratio = ofLimit(r, limits)
    metrics[r.name] = {
      median: round(r.median),
      min: round(r.min),
      max: round(r.max),
      runs: r.runs.map(round),
      unit: r.unit,
      ...(r.target ? { target: r.target, met: met(r) } : {}),
      ...(ratio === undefined ? {} : { limit: r.limit, ofLimit: round(ratio) }),
      measuredAt,
    }
  }
  mkdirSync(path.dirname(file), { recursive: true })
  const report = { date: measuredAt, machine: machine(versions), repetitions, suites: ran, metrics }
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
