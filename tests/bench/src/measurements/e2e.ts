import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import { type DemoEventInput, readDemoEvents } from '@tradewatch/demo-data'
import { createEventStore } from '@tradewatch/event-store'
import { dropDatabase, type ServiceProcess, startService, testApiKey, uniqueName, waitFor, withDatabase } from '@tradewatch/test-support'
import { sql } from 'kysely'
import type { Measurement } from '../harness.js'
import { readModels } from './projection.js'

/** Every consumer that must hold an event before it counts: the seven read models and the alert matcher. */
export const consumers = [...readModels, 'alerts']

export interface E2eOptions {
  serverUrl: string
  natsUrl: string
  prefix: string
  /** How long the clients keep posting (BENCH_E2E_SECONDS, default 60). */
  seconds: number
  /** Concurrent HTTP clients (default 8). */
  clients?: number
}

/** One copy of the demo inputs under its own measure and agreement ids: every input passes the real deciders. */
function demoCopy(demo: readonly DemoEventInput[], tag: string): DemoEventInput[] {
  return demo.map((input) => ({
    ...input,
    ...(input.measureId ? { measureId: `${input.measureId}-${tag}` } : {}),
    ...(input.agreementId ? { agreementId: `${input.agreementId}-${tag}` } : {}),
  }))
}

/**
 * `e2e_events_per_s`: all four services as real processes on one scratch database and prefix. `clients` clients
 * post batches of three demo copies (468 inputs, every event type) to ingest for `seconds`; the figure is the events
 * the store gained over the time from the first post until every read model's and the alert checkpoint is at the
 * head, so a backlog left when posting stops counts against it.
 */
export async function e2eBench(options: E2eOptions): Promise<{ measurements: Measurement[]; close(): Promise<void> }> {
  const databaseName = uniqueName('tw_bench_e2e')
  const databaseUrl = withDatabase(options.serverUrl, databaseName)
  await ensureDatabase(databaseUrl)
  const db = createDb(databaseUrl, { poolSize: 2 })
  const store = createEventStore({ db })
  const services: ServiceProcess[] = []
  const close = async () => {
    for (const service of services.reverse()) await service.stop()
    await store.close()
    await db.destroy()
    await dropDatabase(options.serverUrl, databaseName)
  }
  const writer = testApiKey('bench-e2e', ['ingest'])
  const reader = testApiKey('bench-e2e-reader', ['read'])
  try {
    await migrateToLatest(db)
    const common = { DATABASE_URL: databaseUrl, NATS_URL: options.natsUrl, TRADEWATCH_PREFIX: options.prefix, LOG_LEVEL: 'warn' }
    services.push(await startService('ingest', { ...common, API_KEYS: writer.entry }))
    services.push(await startService('projection', common, { timeoutMs: 60_000 }))
    services.push(await startService('alert', common))
    services.push(await startService('api', { ...common, API_KEYS: reader.entry }))
  } catch (err) {
    await close()
    throw err
  }
  const ingestUrl = services[0]?.url ?? ''
  const demo = readDemoEvents()
  let run = 0

  const post = async (body: unknown) => {
    const response = await fetch(`${ingestUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': writer.key },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    if (response.status !== 201) throw new Error(`ingest answered ${response.status}: ${text.slice(0, 300)}`)
  }
  const allAtHead = async (head: number) => {
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM consumer_checkpoints WHERE name IN (${sql.join(consumers)}) AND position >= ${head}`.execute(db)
    return Number(rows[0]?.n) === consumers.length
  }

  const e2e: Measurement = {
    name: 'e2e_events_per_s',
    unit: 'events/s',
    target: { value: 8_000, higherIsBetter: true },
    limit: 'limit_pg_batch_insert_rows_per_s',
    async run() {
      const r = run++
      const before = await store.head()
      let copy = 0
      const started = performance.now()
      const until = started + options.seconds * 1000
      await Promise.all(
        Array.from({ length: options.clients ?? 8 }, async () => {
          while (performance.now() < until) {
            const tags = [copy++, copy++, copy++].map((c) => `e${r}c${c}`)
            await post(tags.flatMap((tag) => demoCopy(demo, tag)))
          }
        }),
      )
      const head = await store.head()
      const posted = performance.now()
      await waitFor('every read model and the alert checkpoint at the head', () => allAtHead(head), 1_800_000, 100)
      const seconds = (performance.now() - started) / 1000
      process.stderr.write(
        `e2e: ${head - before} events posted in ${((posted - started) / 1000).toFixed(1)} s, all consumers at the head ${((performance.now() - posted) / 1000).toFixed(1)} s later\n`,
      )
      return (head - before) / seconds
    },
  }
  return { measurements: [e2e], close }
}
