import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import { createEventStore } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { dropDatabase, repoRoot, startService, testApiKey, testPrefix, uniqueName, withDatabase } from '@tradewatch/test-support'
import { connect } from 'nats'
import { machine, measure, type Result, table } from './harness.js'
import { alertBench } from './measurements/alerts.js'
import { relayThroughput, storeBatchAppend, storeSingleAppend } from './measurements/event-store.js'
import { ingestBatches, ingestSingles } from './measurements/ingest.js'
import { jsPublishLimit, jsReplayLimit, pgBatchInsertLimit } from './measurements/limits.js'
import { projectionMeasurements } from './measurements/projection.js'
import { startQueryBench } from './measurements/queries.js'

/**
 * `pnpm bench`: loads its own data into a scratch database and stream prefix, measures the
 * machine's limits and the system's figures (warm-up + REPETITIONS runs, median), prints a
 * table and writes bench/results.json.
 */
async function main() {
  const repetitions = Number(process.env.BENCH_REPETITIONS ?? 3)
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'
  const databaseName = uniqueName('tw_bench')
  const databaseUrl = withDatabase(serverUrl, databaseName)
  const prefix = testPrefix()
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const logger = createLogger({ service: 'bench', level: 'warn' })

  await ensureDatabase(databaseUrl)
  const db = createDb(databaseUrl, { poolSize: 8 })
  await migrateToLatest(db)
  // As the services connect: without per-request async stack traces, which cost the relay ~20% of its CPU.
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true })
  const store = createEventStore({ db, logger })
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
  const results: Result[] = []
  try {
    for (const m of [
      pgBatchInsertLimit(databaseUrl),
      jsPublishLimit(nc, prefix),
      jsReplayLimit(nc, prefix),
      { ...storeBatchAppend(store), limit: 'limit_pg_batch_insert_rows_per_s' },
      { ...storeSingleAppend(store), limit: 'limit_pg_batch_insert_rows_per_s' },
      ingestBatches(target),
      ingestSingles(target),
      {
        ...relayThroughput({ db, databaseUrl, nc, store, logger, basePrefix: prefix }),
        target: { value: 15_000, higherIsBetter: true },
        limit: 'limit_js_publish_per_s',
      },
    ]) {
      results.push(await measure(m, repetitions, log))
    }
    // Query latency: 100,000 measures loaded straight into the read models, 50 clients against the real api process.
    const queries = await startQueryBench({ db, databaseUrl })
    try {
      for (const m of queries.measurements) results.push(await measure(m, repetitions, log))
    } finally {
      await queries.stop()
    }
    // The alert path on its own database, so the events above are not judged first.
    const alerts = await alertBench({ serverUrl, natsUrl })
    try {
      for (const m of alerts.measurements) results.push(await measure(m, repetitions, log))
    } finally {
      await alerts.close()
    }
    // Read models from a preloaded 200,000-event stream (its own database and prefix): catch-up, then rebuild.
    const projection = projectionMeasurements({ serverUrl, natsUrl, nc, prefix: `${prefix}p`, logger })
    try {
      for (const m of [projection.catchUp, projection.rebuild]) results.push(await measure(m, repetitions, log))
    } finally {
      await projection.close()
    }
  } finally {
    await ingest.stop()
    await store.close()
    const jsm = await nc.jetstreamManager()
    await jsm.streams.delete(`${prefix.toUpperCase()}_BENCH_LIMIT`).catch(() => undefined)
    await nc.close()
    await db.destroy()
    await dropDatabase(serverUrl, databaseName)
  }

  console.log(table(results))
  const file = path.join(repoRoot, 'bench', 'results.json')
  mkdirSync(path.dirname(file), { recursive: true })
  // Later runs of other suites may add metrics: keep the ones this run did not measure.
  let previous: Record<string, number> = {}
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')).metrics ?? {}
  } catch {}
  const metrics = { ...previous, ...Object.fromEntries(results.map((r) => [r.name, Math.round(r.median * 100) / 100])) }
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), repetitions, metrics }, null, 2)}\n`)
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
