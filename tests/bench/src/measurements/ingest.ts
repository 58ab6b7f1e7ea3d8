import http from 'node:http'
import type { Measurement } from '../harness.js'

export interface IngestTarget {
  url: string
  apiKey: string
}

let runCounter = 0

/** A measure announcement as a producer would post it; `n` makes each one a new aggregate. */
export function announcement(run: number, n: number) {
  return {
    type: 'MeasureAnnounced',
    measureId: `bench-${process.pid}-${run}-${n}`,
    occurredAt: '2026-01-16',
    effectiveAt: '2026-03-01',
    source: { kind: 'news', url: `https://example.org/bench/${run}/${n}`, title: 'Benchmark source' },
    data: {
      kind: 'surtax',
      title: 'Benchmark surtax on electric vehicles',
      imposer: 'CA',
      targets: { mode: 'listed', countries: ['CN'] },
      products: [{ code: '870380' }],
      productText: 'electric passenger vehicles',
      rate: { type: 'ad_valorem', percent: (n % 90) + 1 },
      direction: 'restrictive',
      legalBasis: { jurisdiction: 'CA', instrument: 'Benchmark order', authority: 'Customs Tariff s.53' },
    },
  }
}

// The load generator shares the 2 cores with ingest and Postgres: node:http over a keep-alive
// pool costs it about half the CPU of global fetch, which took CPU from the process measured.
// Each event is still one request, answered only once committed.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

function post(target: IngestTarget, body: unknown): Promise<void> {
  const text = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${target.url}/v1/events`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-api-key': target.apiKey },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          if (response.statusCode === 201) resolve()
          else reject(new Error(`ingest answered ${response.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`))
        })
      },
    )
    request.on('error', reject)
    request.end(text)
  })
}

/** HTTP batches of 500 new measures, 4 clients at once, each batch committed before its answer. */
export function ingestBatches(target: IngestTarget, total = 40_000): Measurement {
  return {
    name: 'ingest_events_per_s',
    unit: 'events/s',
    target: { value: 15_000, higherIsBetter: true },
    limit: 'limit_pg_batch_insert_rows_per_s',
    async run() {
      const run = runCounter++
      const batches = total / 500
      let next = 0
      const started = performance.now()
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < batches) {
            const b = next++
            await post(
              target,
              Array.from({ length: 500 }, (_, i) => announcement(run, b * 500 + i)),
            )
          }
        }),
      )
      return total / ((performance.now() - started) / 1000)
    },
  }
}

/** One event per HTTP request from 32 concurrent clients: group commit carries this. */
export function ingestSingles(target: IngestTarget, total = 10_000): Measurement {
  return {
    name: 'ingest_single_events_per_s',
    unit: 'events/s',
    target: { value: 5_000, higherIsBetter: true },
    limit: 'limit_pg_batch_insert_rows_per_s',
    async run() {
      const run = runCounter++
      let next = 0
      const started = performance.now()
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < total) await post(target, announcement(run, next++))
        }),
      )
      return total / ((performance.now() - started) / 1000)
    },
  }
}
