import { randomUUID } from 'node:crypto'
import { createDb, type Db } from '@tradewatch/db'
import { aggregateTypeOf } from '@tradewatch/domain'
import { createEventStore, type EventStore, type Relay, readCheckpoint, startRelay } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { type Projector, RebuildError, rebuildProjection, rebuildProjections, startProjector } from '@tradewatch/projector'
import { compareTables, tableRows, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoFacts, type Fact } from '../testing/envelopes.js'
import { readModels } from './read-models.js'

const env = useTestEnvironment()
const logger = createLogger({ service: 'rebuild-test', level: process.env.LOG_LEVEL ?? 'silent' })
const tables = readModels.flatMap((p) => p.tables)
const demo = demoFacts()
let rebuildDb: Db
let store: EventStore
let relay: Relay
let projectors: Projector[] = []

/** Records facts as ingest would, one append per fact (group-committed when concurrent). */
const record = (facts: readonly Fact[]) =>
  Promise.all(
    facts.map((fact) =>
      store.append({ aggregateType: aggregateTypeOf(fact.type), aggregateId: fact.aggregateId }, [
        {
          type: fact.type,
          data: fact.data,
          recordedAt: new Date(fact.recordedAt),
          metadata: {
            occurredAt: fact.occurredAt,
            effectiveAt: fact.effectiveAt ?? null,
            source: fact.source ?? { kind: 'news', url: 'https://example.org/fact', title: 'A test source' },
            correlationId: randomUUID(),
            causationId: null,
          },
        },
      ]),
    ),
  )
/** The demo data again under other ids: `copy` makes its measures and agreements distinct aggregates. */
const demoCopy = (copy: number) => demo.map((fact) => ({ ...fact, aggregateId: `${fact.aggregateId}-copy-${copy}` }))
const head = async () => Number((await sql<{ head: string }>`SELECT coalesce(max(position), 0) AS head FROM events`.execute(env.db)).rows[0]?.head)
const allCaughtUp = async (position: number) => {
  for (const p of readModels) if ((await readCheckpoint(env.db, p.name)) !== position) return false
  return true
}
const tableOids = async () =>
  (await sql<{ oid: number }>`SELECT to_regclass(t)::oid AS oid FROM unnest(${tables}::text[]) AS t`.execute(env.db)).rows.map((r) => r.oid)
const rebuildAll = (batchSize = 50) => rebuildProjections({ db: rebuildDb, projections: readModels, logger, batchSize })
const shadowSchemas = async () =>
  (await sql<{ nspname: string }>`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'`.execute(env.db)).rows.map((r) => r.nspname)

beforeAll(async () => {
  // The locks' connection, the reader and one per read model.
  rebuildDb = createDb(env.databaseUrl, { poolSize: readModels.length + 2 })
  store = createEventStore({ db: env.db })
  // Demo facts in recording order: each aggregate's events must reach the store in version order.
  for (const fact of demo) await record([fact])
  relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 50 })
  projectors = await Promise.all(
    readModels.map((projection) => startProjector({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, projection })),
  )
  const position = await head()
  await waitFor('live projections at the head', () => allCaughtUp(position), 30_000)
})

afterAll(async () => {
  await Promise.all(projectors.map((p) => p.stop()))
  await relay?.stop()
  await store?.close()
  await rebuildDb?.destroy()
})

describe('rebuilding projections', () => {
  it('given the demo data projected live, when every read model is rebuilt in one pass, then its tables are the same row for row, swapped in', async () => {
    const position = await head()
    const before = await tableRows(env.databaseUrl, tables)
    const oidsBefore = await tableOids()
    expect(before.measures?.length).toBeGreaterThan(30)

    const reports = await rebuildAll()

    expect(reports.map((r) => [r.name, r.position])).toEqual(readModels.map((p) => [p.name, position]))
    expect(compareTables(before, await tableRows(env.databaseUrl, tables))).toEqual([])
    // New tables, not the old ones left alone: every OID changed, and no shadow schema is left.
    const oidsAfter = await tableOids()
    expect(oidsAfter.filter((oid, i) => oid === oidsBefore[i])).toEqual([])
    expect(await shadowSchemas()).toEqual([])
    // The swapped-in tables kept the live index names (the GIN ones built after the load).
    const { rows: indexes } = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename = 'timeline' ORDER BY 1`.execute(env.db)
    expect(indexes.map((i) => i.indexname)).toContain('timeline_search_idx')
    expect(indexes.map((i) => i.indexname)).toContain('timeline_pkey')
  })

  it('given events flowing and reads running, when every read model is rebuilt in one pass, then no event is lost or doubled and reads never fail', {
    timeout: 180_000,
  }, async () => {
    let writing = true
    let copy = 0
    const writer = (async () => {
      // About 3,000 events a second: the live projections keep up, the rebuilds see them move.
      while (writing) {
        await record(demoCopy(copy++))
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    })()
    const reads = { ok: 0, failed: [] as string[] }
    let reading = true
    const reader = (async () => {
      while (reading) {
        try {
          await sql`SELECT count(*) FROM measures JOIN measure_history USING (measure_id)`.execute(env.db)
          await sql`SELECT count(*) FROM timeline WHERE search @@ plainto_tsquery('english', 'surtax')`.execute(env.db)
          reads.ok++
        } catch (err) {
          reads.failed.push(String(err))
        }
      }
    })()

    const reports = await rebuildAll(500).finally(() => {
      writing = false
    })
    await writer
    const position = await head()
    await waitFor('live projections at the head after the rebuild', () => allCaughtUp(position), 60_000)
    reading = false
    await reader

    expect(copy).toBeGreaterThan(1)
    expect(reads.failed).toEqual([])
    expect(reads.ok).toBeGreaterThan(0)
    // Events kept coming: each read model swapped in at its live checkpoint, past where the pass started.
    expect(reports.map((r) => r.name)).toEqual(readModels.map((p) => p.name))
    for (const report of reports) expect(report.position, report.name).toBeGreaterThan(demo.length)
    // Exactly once: one archive and one timeline row per position 1…head, but for the events dead-lettered.
    for (const [table, consumer] of [
      ['event_archive', 'event-archive'],
      ['timeline', 'timeline'],
    ] as const) {
      const { rows } = await sql<{ n: string; distinct: string; covered: string }>`
        SELECT count(*) AS n, count(DISTINCT position) AS distinct,
               (SELECT count(*) FROM generate_series(1, ${position}::bigint) g
                WHERE g IN (SELECT position FROM ${sql.table(table)}) OR g IN (SELECT position FROM dead_letters WHERE consumer = ${consumer})) AS covered
        FROM ${sql.table(table)}`.execute(env.db)
      expect(rows[0]?.distinct, `${table}: no position twice`).toBe(rows[0]?.n)
      expect(rows[0]?.covered, `${table}: every position applied or dead-lettered`).toBe(String(position))
    }
    // And every read model equals a rebuild from scratch of the same stream.
    const live = await tableRows(env.databaseUrl, tables)
    await rebuildAll(500)
    expect(compareTables(live, await tableRows(env.databaseUrl, tables))).toEqual([])
  })

  it('refuses a second rebuild of the same projection while one runs, letting go of the others it locked, and a projection without tables', async () => {
    const [measures] = readModels
    const timeline = readModels.find((p) => p.name === 'timeline')
    if (!timeline) throw new Error('no timeline read model')
    const first = rebuildProjection({ db: rebuildDb, projection: measures, logger, batchSize: 100 })
    await waitFor('the first rebuild under way', async () => (await shadowSchemas()).includes('rebuild_measures'))
    const other = createDb(env.databaseUrl, { poolSize: 3 })
    try {
      await expect(rebuildProjections({ db: other, projections: [timeline, measures], logger })).rejects.toMatchObject({ code: 'REBUILD_RUNNING' })
      // Timeline's lock, taken before measures' was refused, is let go of (its session is still in the pool).
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(hashtextextended('tradewatch:rebuild:timeline', 0)) AS locked`.execute(env.db)
      expect(rows[0]?.locked).toBe(true)
      await sql`SELECT pg_advisory_unlock(hashtextextended('tradewatch:rebuild:timeline', 0))`.execute(env.db)
      expect(await shadowSchemas()).not.toContain('rebuild_timeline')
    } finally {
      await other.destroy()
    }
    await first
    await expect(rebuildProjection({ db: rebuildDb, projection: { name: 'alerts', tables: [], apply: async () => {} }, logger })).rejects.toBeInstanceOf(
      RebuildError,
    )
  })

  it('skips, in one pass, only the events each projection dead-lettered itself', async () => {
    const { rows } = await sql<{ position: string }>`SELECT position FROM timeline ORDER BY position LIMIT 1 OFFSET 10`.execute(env.db)
    const position = Number(rows[0]?.position)
    // As if the live event-archive had dead-lettered it (and timeline applied it).
    await sql`INSERT INTO dead_letters (consumer, position, reason, attempts, payload) VALUES ('event-archive', ${position}, 'test', 1, '{}')`.execute(env.db)
    const projections = readModels.filter((p) => p.name === 'event-archive' || p.name === 'timeline')
    const has = async (table: string) => (await sql`SELECT 1 FROM ${sql.table(table)} WHERE position = ${position}`.execute(env.db)).rows.length > 0
    try {
      await rebuildProjections({ db: rebuildDb, projections, logger, batchSize: 500 })
      expect(await has('event_archive')).toBe(false)
      expect(await has('timeline')).toBe(true)
    } finally {
      await sql`DELETE FROM dead_letters WHERE consumer = 'event-archive' AND position = ${position}`.execute(env.db)
      await rebuildProjections({ db: rebuildDb, projections, logger, batchSize: 500 })
    }
    expect(await has('event_archive')).toBe(true)
  })

  it('given one projection failing to apply, swaps none in: every live table kept, every shadow dropped', async () => {
    const failing = {
      name: 'failing',
      tables: ['agreements'],
      apply: async () => {
        throw new Error('boom')
      },
    }
    // A live checkpoint past 0, so the failing projection has events to apply.
    await sql`INSERT INTO consumer_checkpoints (name, position) VALUES ('failing', ${await head()})`.execute(env.db)
    const oidsBefore = await tableOids()
    try {
      await expect(rebuildProjections({ db: rebuildDb, projections: [...readModels, failing], logger, batchSize: 500 })).rejects.toMatchObject({
        code: 'REBUILD_APPLY_FAILED',
        message: expect.stringContaining('failing: applying events'),
      })
    } finally {
      await sql`DELETE FROM consumer_checkpoints WHERE name = 'failing'`.execute(env.db)
    }
    expect(await tableOids()).toEqual(oidsBefore)
    expect(await shadowSchemas()).toEqual([])
  })
})
