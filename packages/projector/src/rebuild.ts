import type { Db } from '@tradewatch/db'
import { readCheckpoint } from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import { sql } from 'kysely'
import { RebuildError, rebuildErrorCodes } from './errors.js'
import type { Projection } from './projection.js'
import { applyPass } from './rebuild-pass.js'
import { ShadowLoad } from './rebuild-shadow.js'
import { swapWithTries } from './rebuild-swap.js'
import { buildIndexes, createShadowTables, dropShadow, shadowSchemaOf } from './shadow-tables.js'

export interface RebuildProjectionsOptions {
  /**
   * Connections: one for the rebuild locks, one reading events, one per projection applying them (with
   * fewer, the applies take turns).
   */
  db: Db
  /** Rebuilt together, in one read of the event store; swapped in one after the other, in this order. */
  projections: readonly Projection[]
  logger: Logger
  /** Events read and applied per transaction (default 5,000): no checkpoint per batch, so bigger is cheaper. */
  batchSize?: number
  /** Tries of each swap when it cannot take the tables' locks within `lockTimeoutMs` (default 5). */
  swapTries?: number
  /** How long a swap waits for readers and the live batch before it lets go and tries again (default 5 s). */
  lockTimeoutMs?: number
  /** Called as each projection is swapped in, before the next one's swap. */
  onRebuilt?: (report: RebuildReport) => void
}

export interface RebuildOptions extends Omit<RebuildProjectionsOptions, 'projections' | 'onRebuilt'> {
  projection: Projection
}

export interface RebuildReport {
  name: string
  /** The live checkpoint the tables were swapped in at: every event up to it is in them. */
  position: number
  /** Events read from the event store and applied to the shadow tables (dead letters and invalid events skipped). */
  applied: number
  /** From the start of the rebuild (of all the projections rebuilt together) to this one's swap. */
  seconds: number
  /** `position` ÷ `seconds`. */
  eventsPerSecond: number
}

const catchUpRounds = 10

/**
 * Rebuilds a projection's tables from position 0 without stopping it: `rebuildProjections` of one.
 * @throws RebuildError; the live tables and checkpoint are then untouched and the shadow schema dropped
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildReport> {
  const [report] = await rebuildProjections({ ...options, projections: [options.projection] })
  return report as RebuildReport
}

/**
 * Rebuilds projections' tables from position 0 without stopping them: the stream is read once from the
 * event store, each event parsed once, and applied into each projection's shadow tables (schema
 * `rebuild_<name>`, the same `apply` with that schema first on the search path) while the live projections
 * keep serving and moving. Once the shadows have caught up, each in turn is swapped in by one transaction
 * that locks its live checkpoint row (a live batch takes that lock before touching its tables), applies
 * what the live projection committed since and swaps the tables: the shadow is then exactly at the live
 * checkpoint, which does not move, and the live projection goes on from it unaware. A shadow never runs
 * ahead of its own live checkpoint, so events that projection dead-lettered (all of them at or below it)
 * are skipped as it skipped them, and new events meet its poison handling, not the rebuild's. A second
 * rebuild of a projection is refused while one runs.
 * @throws RebuildError; the projections not yet swapped in keep their live tables and checkpoints, and
 * their shadow schemas are dropped
 * @example
 * const reports = await rebuildProjections({ db, projections: [measuresProjection, timelineProjection], logger })
 */
export async function rebuildProjections(options: RebuildProjectionsOptions): Promise<RebuildReport[]> {
  const projections = [...new Map(options.projections.map((p) => [p.name, p])).values()]
  for (const { name, tables } of projections)
    if (tables.length === 0) throw new RebuildError(rebuildErrorCodes.notRebuildable, `${name} declares no tables: it cannot be rebuilt`)
  const logger = options.logger.child({ projections: projections.map((p) => p.name), rebuild: true })
  // Session locks on one held connection: released when it ends, even if this process dies.
  return options.db.connection().execute(async (session) => {
    const lockKey = (name: string) => `tradewatch:rebuild:${name}`
    const locked: string[] = []
    try {
      for (const { name } of projections) {
        const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(hashtextextended(${lockKey(name)}, 0)) AS locked`.execute(session)
        if (!rows[0]?.locked) throw new RebuildError(rebuildErrorCodes.rebuildRunning, `a rebuild of ${name} is already running`)
        locked.push(name)
      }
      return await rebuildLocked(options, projections, logger)
    } finally {
      for (const name of locked) await sql`SELECT pg_advisory_unlock(hashtextextended(${lockKey(name)}, 0))`.execute(session)
    }
  })
}

async function rebuildLocked(options: RebuildProjectionsOptions, projections: readonly Projection[], logger: Logger): Promise<RebuildReport[]> {
  const { db, batchSize = 5_000, swapTries = 5, lockTimeoutMs = 5_000 } = options
  const started = performance.now()
  const shadows: ShadowLoad[] = []
  const swapped = new Set<ShadowLoad>()
  try {
    for (const projection of projections) {
      // A row to lock at the swap even if the live projection never committed.
      await sql`INSERT INTO consumer_checkpoints (name, position) VALUES (${projection.name}, 0) ON CONFLICT (name) DO NOTHING`.execute(db)
      const schema = shadowSchemaOf(projection.name)
      // Not yet among the shadows: a failure half-way through creating it must drop it here.
      const deferred = await createShadowTables(db, schema, projection.tables, projection.applyIndexes).catch(async (err) => {
        await dropShadow(db, schema)
        throw err
      })
      shadows.push(new ShadowLoad(projection, schema, deferred))
    }
    await catchUp(db, shadows, () => true, batchSize)
    logger.info({ shadows: shadows.map(({ name, position, applied }) => ({ name, position, applied })) }, 'shadows loaded, building their search indexes')
    await Promise.all(
      shadows.map(async (shadow) => {
        await buildIndexes(db, shadow.schema, shadow.deferred)
        for (const table of shadow.projection.tables) await sql`ANALYZE ${sql.id(shadow.schema, table)}`.execute(db)
      }),
    )
    // Catch up outside the swaps while a live projection is far ahead, so its swap stays short; a few
    // rounds at most, so a stream busier than the rebuild is fast still ends in a (longer) swap.
    for (let round = 0; round < catchUpRounds; round++) if (!(await catchUp(db, shadows, (behind) => behind > batchSize, batchSize))) break
    const reports: RebuildReport[] = []
    for (const shadow of shadows) {
      const position = await swapWithTries(db, shadow, { batchSize, tries: swapTries, lockTimeoutMs, logger: logger.child({ projection: shadow.name }) })
      swapped.add(shadow)
      const seconds = (performance.now() - started) / 1000
      const report = { name: shadow.name, position, applied: shadow.applied, seconds, eventsPerSecond: position / seconds }
      logger.info(report, 'projection rebuilt and swapped in')
      reports.push(report)
      options.onRebuilt?.(report)
    }
    return reports
  } catch (err) {
    for (const { schema } of shadows.filter((s) => !swapped.has(s)))
      await dropShadow(db, schema).catch((dropErr) => logger.warn({ err: dropErr, schema }, 'could not drop the shadow schema'))
    throw err
  }
}

/** One pass bringing each shadow whose live checkpoint `isBehind` it to that checkpoint; false when none was. */
async function catchUp(db: Db, shadows: readonly ShadowLoad[], isBehind: (behind: number) => boolean, batchSize: number): Promise<boolean> {
  const moving: ShadowLoad[] = []
  for (const shadow of shadows) {
    const live = await readCheckpoint(db, shadow.name)
    if (live > shadow.position && isBehind(live - shadow.position)) {
      shadow.target = live
      moving.push(shadow)
    }
  }
  await applyPass(db, db, moving, batchSize)
  return moving.length > 0
}
