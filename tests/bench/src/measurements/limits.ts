import { randomUUID } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import type { NatsConnection } from 'nats'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Measurement } from '../harness.js'

const body = JSON.stringify({ type: 'MeasureAnnounced', data: { title: 'x'.repeat(200) } })

/** Rows/s of `load` writing `rows` rows of `body` into an empty table, on a plain client of its own. */
async function rowsPerSecond(databaseUrl: string, rows: number, load: (client: pg.Client) => Promise<void>): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('CREATE TABLE IF NOT EXISTS bench_limit (id bigint PRIMARY KEY, body jsonb NOT NULL)')
    await client.query('TRUNCATE bench_limit')
    const started = performance.now()
    await load(client)
    return rows / ((performance.now() - started) / 1000)
  } finally {
    await client.end()
  }
}

/** Multi-row INSERT in batches of 1,000 with a plain client: what Postgres can take here. */
export function pgBatchInsertLimit(databaseUrl: string, rows = 50_000): Measurement {
  return {
    name: 'limit_pg_batch_insert_rows_per_s',
    unit: 'rows/s',
    run: () =>
      rowsPerSecond(databaseUrl, rows, async (client) => {
        for (let offset = 0; offset < rows; offset += 1000) {
          const values: unknown[] = []
          const params: string[] = []
          for (let i = 0; i < 1000; i++) {
            values.push(offset + i, body)
            params.push(`($${i * 2 + 1}, $${i * 2 + 2})`)
          }
          await client.query(`INSERT INTO bench_limit (id, body) VALUES ${params.join(',')}`, values)
        }
      }),
  }
}

/** COPY FROM STDIN (text format) of the same rows as the batch insert, one stream: Postgres's bulk-load ceiling here. */
export function pgCopyLimit(databaseUrl: string, rows = 200_000): Measurement {
  // Lines built as the stream asks for them, 1,000 at a time, so the generator never holds the whole load.
  function* lines() {
    for (let offset = 0; offset < rows; offset += 1000) {
      let chunk = ''
      for (let i = offset; i < offset + 1000; i++) chunk += `${i}\t${body}\n`
      yield chunk
    }
  }
  return {
    name: 'limit_pg_copy_rows_per_s',
    unit: 'rows/s',
    run: () => rowsPerSecond(databaseUrl, rows, (client) => pipeline(lines, client.query(copyFrom('COPY bench_limit (id, body) FROM STDIN')))),
  }
}

/** Pipelined JetStream publishes (all in flight, then await): what NATS can take here. */
export function jsPublishLimit(nc: NatsConnection, prefix: string, messages = 50_000): Measurement {
  return {
    name: 'limit_js_publish_per_s',
    unit: 'msgs/s',
    async run() {
      const stream = `${prefix.toUpperCase()}_BENCH_LIMIT`
      const jsm = await nc.jetstreamManager()
      await jsm.streams.delete(stream).catch(() => undefined)
      await jsm.streams.add({ name: stream, subjects: [`${prefix}.bench.limit.>`] })
      const js = nc.jetstream()
      const payload = new TextEncoder().encode(JSON.stringify({ id: randomUUID(), data: 'x'.repeat(400) }))
      const started = performance.now()
      for (let offset = 0; offset < messages; offset += 5000) {
        const inFlight = []
        for (let i = 0; i < 5000; i++) inFlight.push(js.publish(`${prefix}.bench.limit.${i % 16}`, payload))
        await Promise.all(inFlight)
      }
      return messages / ((performance.now() - started) / 1000)
    },
  }
}

/** An ordered consumer reading the stream the publish limit filled. */
export function jsReplayLimit(nc: NatsConnection, prefix: string): Measurement {
  return {
    name: 'limit_js_replay_per_s',
    unit: 'msgs/s',
    async run() {
      const stream = `${prefix.toUpperCase()}_BENCH_LIMIT`
      const jsm = await nc.jetstreamManager()
      const total = (await jsm.streams.info(stream)).state.messages
      // Default options deliver from the start; nats.js 2.29 with an explicit deliver_policy 'all' never starts on 2.9.
      const consumer = await nc.jetstream().consumers.get(stream)
      const started = performance.now()
      const messages = await consumer.consume({ max_messages: 5000 })
      let seen = 0
      for await (const _m of messages) {
        if (++seen >= total) break
      }
      const seconds = (performance.now() - started) / 1000
      await messages.close()
      return seen / seconds
    },
  }
}
