import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readDemoEvents } from '@tradewatch/demo-data'
import { type ServiceProcess, startService, testApiKey, useTestEnvironment } from '@tradewatch/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './testing/run-cli.js'

const env = useTestEnvironment()
const feeder = testApiKey('feeder', ['ingest'])
const reader = testApiKey('reader', ['read'])
const dir = mkdtempSync(path.join(tmpdir(), 'tradewatch-import-'))
let ingest: ServiceProcess
const cli = (args: string[], key = feeder.key) => runCli(args, { INGEST_URL: ingest.url, TRADEWATCH_API_KEY: key })

beforeAll(async () => {
  ingest = await startService('ingest', {
    DATABASE_URL: env.databaseUrl,
    NATS_URL: env.natsUrl,
    TRADEWATCH_PREFIX: env.prefix,
    API_KEYS: `${feeder.entry},${reader.entry}`,
  })
})

afterAll(async () => {
  await ingest?.kill()
  rmSync(dir, { recursive: true, force: true })
})

const countEvents = async (aggregateIdPrefix = '') =>
  Number(
    (
      await env.db
        .selectFrom('events')
        .where('aggregate_id', 'like', `${aggregateIdPrefix}%`)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

const source = (i: number) => ({ kind: 'news', url: `https://example.org/load/${i}`, title: `Load test source ${i}` })
const announced = (measureId: string, imposer = 'US') => ({
  type: 'MeasureAnnounced',
  measureId,
  occurredAt: '2025-01-01',
  source: source(0),
  data: {
    kind: 'tariff',
    title: `Load test measure ${measureId}`,
    imposer,
    targets: { mode: 'listed', countries: ['CA'] },
    products: [],
    productText: 'goods',
    rate: { type: 'ad_valorem', percent: 10 },
    legalBasis: { jurisdiction: 'US', instrument: 'Proclamation' },
    direction: 'restrictive',
  },
})
const event = (type: string, measureId: string, data: object) => ({ type, measureId, occurredAt: '2025-02-01', source: source(1), data })
const rate = (percent: number) => ({ type: 'ad_valorem', percent })

// Five events for each of 9,998 measures (49,990 lines), with 8 bad or repeated lines and 2 blank lines at fixed places.
const lineCount = 50_000
const extras = new Map<number, string>([
  [2, '{"type": "MeasureAnnounced",'],
  [100, ''],
  [5_000, JSON.stringify(announced('bad-country-1', 'XX'))],
  [12_345, JSON.stringify(event('MeasureEnteredIntoForce', 'ghost-measure', {}))],
  [20_000, JSON.stringify(event('MeasurePostponed', 'load-00001', { newPlannedEffectiveAt: '2025-06-01' }))],
  [30_000, ''],
  [33_333, JSON.stringify(announced('load-00001'))],
  [40_000, 'not json at all'],
  [45_000, JSON.stringify(announced('bad-country-2', 'XX'))],
  [49_999, JSON.stringify(event('MeasureRateChanged', 'load-00002', { before: rate(10), after: rate(20) }))],
])
const goodLines = function* () {
  for (let m = 1; m <= 9_998; m++) {
    const id = `load-${String(m).padStart(5, '0')}`
    yield JSON.stringify(announced(id))
    yield JSON.stringify(event('MeasureEnteredIntoForce', id, {}))
    yield JSON.stringify(event('MeasureRateChanged', id, { before: rate(10), after: rate(20) }))
    yield JSON.stringify(event('MeasureRateChanged', id, { before: rate(20), after: rate(30) }))
    yield JSON.stringify(event('MeasureRevoked', id, { reason: 'repealed' }))
  }
}

describe('tradewatch import of a 50,000-line NDJSON file with bad lines', () => {
  const file = path.join(dir, 'load.ndjson')
  beforeAll(() => {
    const good = goodLines()
    const lines: string[] = []
    for (let line = 1; line <= lineCount; line++) lines.push(extras.get(line) ?? (good.next().value as string))
    expect(good.next().done).toBe(true)
    writeFileSync(file, `${lines.join('\n')}\n`)
  })

  it('appends the good lines once, names every bad line with its reason, and exits 1', async () => {
    const started = performance.now()
    const run = await cli(['import', file])
    const seconds = (performance.now() - started) / 1000
    console.log(`imported ${lineCount} lines in ${seconds.toFixed(1)} s: ${Math.round(49_990 / seconds)} events/s`)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    const [counts, ...rejected] = run.stdout.trim().split('\n')
    expect(counts).toBe(`${file}: 49998 inputs: 49990 appended, 2 duplicate, 0 unchanged, 6 rejected`)
    expect(rejected).toEqual([
      expect.stringMatching(/^ {2}line 2: 400 INVALID_REQUEST: \(input\): not JSON/),
      expect.stringMatching(/^ {2}line 5000: 400 INVALID_REQUEST: \/data\/imposer: /),
      expect.stringMatching(/^ {2}line 12345: 422 MEASURE_NOT_ANNOUNCED: /),
      // Every load measure is revoked by then: postponing one is an illegal transition.
      expect.stringMatching(/^ {2}line 20000: 422 MEASURE_ENDED: Cannot record MeasurePostponed: the measure has ended \(revoked\)/),
      expect.stringMatching(/^ {2}line 40000: 400 INVALID_REQUEST: \(input\): not JSON/),
      expect.stringMatching(/^ {2}line 45000: 400 INVALID_REQUEST: \/data\/imposer: /),
    ])
    expect(await countEvents()).toBe(49_990)
    const perMeasure = await env.db
      .selectFrom('events')
      .select(['aggregate_id', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('aggregate_id')
      .having((eb) => eb.fn.countAll(), '!=', 5)
      .execute()
    expect(perMeasure).toEqual([])
  })

  it('records nothing new when the same file is imported again: every good line is a duplicate', async () => {
    const run = await cli(['import', file])
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n')[0]).toBe(`${file}: 49998 inputs: 0 appended, 49992 duplicate, 0 unchanged, 6 rejected`)
    expect(await countEvents()).toBe(49_990)
  })
})

describe('tradewatch import of CSV and JSON files', () => {
  it('imports CSV rows, a quoted data cell spanning lines included, and names a bad row by its CSV line', async () => {
    const header = 'type,measureId,occurredAt,effectiveAt,sourceUrl,sourceTitle,sourceKind,data'
    const announce = JSON.stringify(announced('csv-measure').data).replaceAll('"', '""')
    const file = path.join(dir, 'events.csv')
    writeFileSync(
      file,
      [
        header,
        `MeasureAnnounced,csv-measure,2025-01-01,,https://example.org/csv,"CSV source, with a comma",news,"${announce}"`,
        'MeasureEnteredIntoForce,csv-measure,2025-02-01,,https://example.org/csv,CSV source,news,',
        'MeasureRateChanged,csv-measure,2025-03-01,2025-03-15,https://example.org/csv,CSV source,news,"{""after"":',
        '{""type"":""ad_valorem"",""percent"":15}}"',
        'MeasureRevoked,csv-measure,2025-04-01,,https://example.org/csv,CSV source,news,{reason: deal}',
      ].join('\r\n'),
    )
    const run = await cli(['import', file])
    expect(run.code).toBe(1)
    expect(run.stdout.trim().split('\n')).toEqual([
      `${file}: 4 inputs: 3 appended, 0 duplicate, 0 unchanged, 1 rejected`,
      expect.stringMatching(/^ {2}line 6: 400 INVALID_RECORD: \/data: not JSON/),
    ])
    expect(await countEvents('csv-')).toBe(3)
  })

  it('imports a JSON array and names a rejected item by its index; exits 0 when nothing is rejected', async () => {
    const bad = path.join(dir, 'events.json')
    writeFileSync(bad, JSON.stringify([announced('json-measure'), event('MeasureSuspended', 'json-measure', { reason: 'x' })]))
    const run = await cli(['import', bad])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('2 inputs: 1 appended, 0 duplicate, 0 unchanged, 1 rejected')
    expect(run.stdout).toMatch(/ {2}item \[1\]: 422 ILLEGAL_MEASURE_TRANSITION: /)
    const good = path.join(dir, 'more.json')
    writeFileSync(good, JSON.stringify([event('MeasureEnteredIntoForce', 'json-measure', {})]))
    expect((await cli(['import', good])).code).toBe(0)
  })
})

describe('tradewatch seed', () => {
  it('records every demo event once, and nothing on a second seed', async () => {
    const demo = readDemoEvents().length
    const first = await cli(['seed'])
    expect(first.code).toBe(0)
    expect(first.stdout.trim()).toBe(`demo data: ${demo} inputs: ${demo} appended, 0 duplicate, 0 unchanged, 0 rejected`)
    const recorded = await env.db
      .selectFrom('events')
      .where('aggregate_id', 'not like', 'load-%')
      .where('aggregate_id', 'not like', '%-measure')
      .select('event_id')
      .execute()
    expect(recorded).toHaveLength(demo)
    const second = await cli(['seed'])
    expect(second.code).toBe(0)
    expect(second.stdout.trim()).toBe(`demo data: ${demo} inputs: 0 appended, ${demo} duplicate, 0 unchanged, 0 rejected`)
  })
})

describe('usage errors: one line, exit 2, nothing recorded', () => {
  it.each([
    [['import', 'no-such-file.ndjson'], feeder.key, 'tradewatch: no such file: no-such-file.ndjson'],
    [['import', 'events.txt'], feeder.key, 'tradewatch: cannot tell the format of "events.txt"'],
    [['seed'], '', 'tradewatch: an API key with the ingest scope is needed'],
    [['seed'], reader.key, 'tradewatch: ingest refused the import: 403'],
    [['seed'], 'not-a-key', 'tradewatch: ingest refused the import: 401'],
  ])('%j', async (args, key, message) => {
    const before = await countEvents()
    const run = await cli(args, key)
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)])
    expect(await countEvents()).toBe(before)
  })
})

describe('an unreachable ingest', () => {
  it('says so in one line and exits 1', async () => {
    const run = await runCli(['seed'], { INGEST_URL: 'http://127.0.0.1:9', TRADEWATCH_API_KEY: feeder.key })
    expect(run.code).toBe(1)
    expect(run.stderr.trim()).toMatch(/^tradewatch: cannot reach ingest at http:\/\/127\.0\.0\.1:9: /)
  })
})
