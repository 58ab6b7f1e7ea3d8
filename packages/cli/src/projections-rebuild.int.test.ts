import { readCheckpoint } from '@tradewatch/event-store'
import { compareTables, type ServiceProcess, startService, tableRows, testApiKey, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './testing/run-cli.js'

const env = useTestEnvironment()
const feeder = testApiKey('feeder', ['ingest'])
const services: ServiceProcess[] = []
const cli = (args: string[]) => runCli(args, { DATABASE_URL: env.databaseUrl, NATS_URL: env.natsUrl })
const measuresOid = async () => (await sql<{ oid: number }>`SELECT 'measures'::regclass::oid AS oid`.execute(env.db)).rows[0]?.oid

beforeAll(async () => {
  const common = { DATABASE_URL: env.databaseUrl, NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: env.prefix, LOG_LEVEL: 'warn' }
  const ingest = await startService('ingest', { ...common, API_KEYS: feeder.entry })
  services.push(ingest, await startService('projection', common))
  // Given the demo data recorded through ingest and projected by the running service.
  const seeded = await runCli(['seed', '--ingest', ingest.url, '--api-key', feeder.key], {})
  expect(seeded.code).toBe(0)
  const head = Number((await sql<{ head: string }>`SELECT max(position) AS head FROM events`.execute(env.db)).rows[0]?.head)
  await waitFor('measures at the head', async () => (await readCheckpoint(env.db, 'measures')) === head, 30_000)
}, 120_000)

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()))
})

describe('tradewatch projections rebuild', () => {
  it('rebuilds measures while the projection service runs: new tables, the same rows, the same checkpoint', async () => {
    const before = await tableRows(env.databaseUrl, ['measures'])
    const checkpoint = await readCheckpoint(env.db, 'measures')
    const oid = await measuresOid()

    const run = await cli(['projections', 'rebuild', 'measures'])

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(new RegExp(`^rebuilt measures: \\d+ events in [\\d.]+ s \\(\\d+ events/s\\), checkpoint ${checkpoint}\\n$`))
    expect(await measuresOid()).not.toBe(oid)
    expect(compareTables(before, await tableRows(env.databaseUrl, ['measures']))).toEqual([])
    expect(await readCheckpoint(env.db, 'measures')).toBe(checkpoint)
  })

  it('reports each rebuild as JSON with --json', async () => {
    const run = await cli(['projections', 'rebuild', 'agreements', 'event-archive', '--json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).map((r: { name: string }) => r.name)).toEqual(['agreements', 'event-archive'])
  })

  it('names the projections and exits 2 for an unknown name, rebuilding nothing', async () => {
    const oid = await measuresOid()
    const run = await cli(['projections', 'rebuild', 'measures', 'mesures'])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'tradewatch: no projection named "mesures"; the projections are measures, measure-history, tariff-lines, agreements, timeline, event-archive, relations\n',
    )
    expect(run.stdout).toBe('')
    expect(await measuresOid()).toBe(oid)
  })
})
