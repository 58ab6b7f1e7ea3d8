import http from 'node:http'
import type { Db } from '@tradewatch/db'
import { type ServiceProcess, startService, testApiKey } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { type Measurement, percentile } from '../harness.js'

const parties = ['CA', 'CN', 'US', 'MX', 'EU', 'JP', 'KR', 'IN', 'BR', 'AU', 'GB', 'CH', 'NO', 'TR', 'ZA', 'SG', 'VN', 'TH', 'ID', 'MY']
const words = ['steel', 'aluminum', 'vehicles', 'canola', 'soybeans', 'semiconductors', 'lumber', 'dairy', 'pork', 'seafood', 'solar', 'batteries']
const eventTypes = ['MeasureAnnounced', 'MeasureEnteredIntoForce', 'MeasureRateChanged', 'MeasureSuspended', 'MeasureRevoked']

/**
 * 100,000 measures written straight into the read models the query API reads (measures, tariff_lines, timeline), in
 * a few set-based statements: measure i is imposed by parties[i % 20] on parties[(i * 7 + 3) % 20] (every 7th erga
 * omnes), on heading hs4(i) and its subheading hs4(i)||'10', in force for a year from a day in 2018–2026; every 10th
 * had an earlier rate, its knowledge row closed. One timeline event per measure.
 */
export async function loadQueryReadModels(db: Db, measures = 100_000): Promise<void> {
  const p = sql.val(parties)
  const w = sql.val(words)
  const t = sql.val(eventTypes)
  await sql`
    CREATE TEMP TABLE bench_measures AS
    SELECT i,
      'bench-m' || i AS id,
      (${p}::text[])[1 + i % 20] AS imposer,
      CASE WHEN i % 7 = 0 THEN '*' ELSE (${p}::text[])[1 + (i * 7 + 3) % 20] END AS origin,
      lpad((1 + i % 97)::text, 2, '0') || lpad((1 + (i / 97) % 20)::text, 2, '0') AS hs4,
      DATE '2018-01-01' + (i % 3000) AS valid_from,
      (${w}::text[])[1 + i % 12] || ' ' || (${w}::text[])[1 + (i * 5) % 12] AS product
    FROM generate_series(1, ${measures}) AS i`.execute(db)
  await sql`
    INSERT INTO measures (measure_id, imposer, targets, kind, status, title, ad_valorem_rate, direction, state, version, last_position, announced_at, updated_at)
    SELECT id, imposer, CASE WHEN origin = '*' THEN '{ALL}'::text[] ELSE ARRAY[origin] END, 'surtax', 'in_force', 'Surtax on ' || product,
      5 + i % 50, 'restrictive', '{}'::jsonb, 2, i, valid_from, now()
    FROM bench_measures`.execute(db)
  await sql`
    INSERT INTO tariff_lines (line_id, measure_id, imposer, origin, excluded_origins, hs_prefix, line_kind, kind, direction, rate, rate_percent,
      exemptions, quotas, valid_from, valid_to, recorded_from, recorded_to, opened_position, closed_position)
    SELECT m.id || '#' || l.n, m.id, m.imposer, m.origin, '{}', CASE l.n WHEN 0 THEN m.hs4 ELSE m.hs4 || '10' END, 'hs', 'surtax', 'restrictive',
      jsonb_build_object('type', 'ad_valorem', 'percent', 5 + m.i % 50), 5 + m.i % 50, '[]', '[]', m.valid_from, m.valid_from + 365,
      TIMESTAMPTZ '2018-01-01' + make_interval(days => m.i % 3000), NULL, m.i, NULL
    FROM bench_measures m CROSS JOIN (VALUES (0), (1)) AS l(n)`.execute(db)
  await sql`
    INSERT INTO tariff_lines (line_id, measure_id, imposer, origin, excluded_origins, hs_prefix, line_kind, kind, direction, rate, rate_percent,
      exemptions, quotas, valid_from, valid_to, recorded_from, recorded_to, opened_position, closed_position)
    SELECT m.id || '@old', m.id, m.imposer, m.origin, '{}', m.hs4, 'hs', 'surtax', 'restrictive', jsonb_build_object('type', 'ad_valorem', 'percent', 99), 99,
      '[]', '[]', m.valid_from, NULL, TIMESTAMPTZ '2017-01-01', TIMESTAMPTZ '2018-01-01' + make_interval(days => m.i % 3000), m.i, m.i
    FROM bench_measures m WHERE m.i % 10 = 0`.execute(db)
  await sql`
    INSERT INTO timeline (position, event_id, event_type, aggregate_type, aggregate_id, aggregate_version, occurred_at, occurred_on, effective_on,
      recorded_at, title, summary, product_text, countries, hs_codes, hs_prefixes, source_kind, source_url, source_title, source_publisher, source_quote)
    SELECT i, gen_random_uuid(), (${t}::text[])[1 + i % 5], 'measure', id, 1, valid_from::text, valid_from, valid_from, now(),
      'Surtax on ' || product, imposer || ' imposes a surtax on ' || product || ' from ' || origin, product,
      CASE WHEN origin = '*' THEN ARRAY[imposer] ELSE ARRAY[imposer, origin] END, ARRAY[hs4], ARRAY[left(hs4, 2), hs4],
      'news', 'https://example.org/bench/' || i, 'Bench source ' || i, 'Bench Wire', NULL
    FROM bench_measures`.execute(db)
  await sql`DROP TABLE bench_measures`.execute(db)
  // VACUUM, not only ANALYZE: it also merges the GIN pending lists the bulk insert left, as autovacuum would.
  await sql`VACUUM ANALYZE measures, tariff_lines, timeline`.execute(db)
}

/** `clients` concurrent keep-alive clients send `total` GETs from `nextPath`; the latency of each, in ms. */
async function load(api: ServiceProcess, apiKey: string, nextPath: () => string, total: number, clients = 50): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients })
  const latencies: number[] = []
  let sent = 0
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now()
      const request = http.get(`${api.url}${path}`, { agent, headers: { 'x-api-key': apiKey } }, (response) => {
        response.resume()
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${path} answered ${response.statusCode}`))
          else {
            latencies.push(performance.now() - started)
            resolve()
          }
        })
      })
      request.on('error', reject)
    })
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (sent < total) {
          sent += 1
          await get(nextPath())
        }
      }),
    )
  } finally {
    agent.destroy()
  }
  return latencies
}

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T
const day = (i: number) => new Date(Date.UTC(2018, 0, 1) + (i % 3000) * 86_400_000).toISOString().slice(0, 10)

/** Mostly questions whose answer is a measure (its imposer, origin and product, in its year), some that find nothing. */
function tariffQuestion(measures: number): string {
  const i = 1 + Math.floor(Math.random() * measures)
  const hs4 = String(1 + (i % 97)).padStart(2, '0') + String(1 + (Math.floor(i / 97) % 20)).padStart(2, '0')
  const origin = i % 7 === 0 ? pick(parties.filter((x) => x !== parties[i % 20])) : parties[(i * 7 + 3) % 20]
  const hs = Math.random() < 0.5 ? `${hs4}10` : Math.random() < 0.5 ? hs4 : `${hs4}1000`
  const knownAt = Math.random() < 0.2 ? `&knownAt=${day(i)}T00:00:00Z` : ''
  return `/v1/tariffs?imposer=${parties[i % 20]}&origin=${origin}&hs=${hs}&asOf=${day(i + 30)}${knownAt}`
}

function timelineQuestion(): string {
  switch (Math.floor(Math.random() * 5)) {
    case 0:
      return `/v1/timeline?country=${pick(parties)}`
    case 1:
      return `/v1/timeline?q=${pick(words)}`
    case 2:
      return `/v1/timeline?q=${pick(words)}&country=${pick(parties)}`
    case 3:
      return `/v1/timeline?hs=${String(1 + Math.floor(Math.random() * 97)).padStart(2, '0')}&type=${pick(eventTypes)}`
    default: {
      const from = Math.floor(Math.random() * 2900)
      return `/v1/timeline?from=${day(from)}&to=${day(from + 60)}&country=${pick(parties)}`
    }
  }
}

export interface QueryBench {
  measurements: Measurement[]
  stop(): Promise<void>
}

/**
 * Loads 100,000 measures into the read models of `databaseUrl`, starts the real api process on them and measures
 * request latency with 50 concurrent clients: tariffs p50 and p99, timeline p99.
 */
export async function startQueryBench({ db, databaseUrl, requests = 5_000 }: { db: Db; databaseUrl: string; requests?: number }): Promise<QueryBench> {
  const measures = 100_000
  await loadQueryReadModels(db, measures)
  const key = testApiKey('bench-reader', ['read'])
  const api = await startService('api', {
    DATABASE_URL: databaseUrl,
    API_KEYS: key.entry,
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
    DATABASE_POOL_SIZE: '10',
    LOG_LEVEL: 'warn',
  })
  const latency = (name: string, p: number, question: () => string, target?: number): Measurement => ({
    name,
    unit: 'ms',
    ...(target === undefined ? {} : { target: { value: target, higherIsBetter: false } }),
    run: async () => percentile(await load(api, key.key, question, requests), p),
  })
  return {
    measurements: [
      latency('query_tariffs_p50_ms', 50, () => tariffQuestion(measures)),
      latency('query_tariffs_p99_ms', 99, () => tariffQuestion(measures), 10),
      latency('query_timeline_p99_ms', 99, timelineQuestion, 50),
    ],
    stop: async () => {
      await api.stop()
    },
  }
}
