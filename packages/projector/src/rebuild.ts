import type { Database, Db } from '@tradewatch/db'
import { type EventEnvelope, parseEnvelope } from '@tradewatch/domain'
import { readCheckpoint, toEnvelope } from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import { sql, type Transaction } from 'kysely'
import { RebuildError, rebuildErrorCodes } from './errors.js'
import type { Projection } from './projection.js'
import { buildIndexes, createShadowTables, dropShadow, shadowSchemaOf, swapIn } from './shadow-tables.js'

export interface RebuildOptions {
  /** Three connections at least: the rebuild lock's, one reading events, one applying them. */
  db: Db
  projection: Projection
  logger: Logger
  /** Events read and applied per transaction (default 5,000): no checkpoint per batch, so bigger is cheaper. */
  batchSize?: number
  /** Tries of the swap when it cannot take the tables' locks within `lockTimeoutMs` (default 5). */
  swapTries?: number
  /** How long the swap waits for readers and the live batch before it lets go and tries again (default 5 s). */
  lockTimeoutMs?: number
}

export interface RebuildReport {
  name: string
  /** The live checkpoint the tables were swapped in at: every event up to it is in them. */
  position: number
  /** Events read from the event store and applied to the shadow tables (dead letters and invalid events skipped). */
  applied: number
  seconds: number
  eventsPerSecond: number
}

const lockTimeout = '55P03'
const catchUpRounds = 10

/**
 * Rebuilds a projection's tables from position 0 without stopping it: the stream is applied from the
 * event store into shadow tables (schema `rebuild_<name>`, the same `apply` with that schema first on
 * the search path) while the live projection keeps serving and moving. Once the shadow has caught up,
 * one transaction locks the live checkpoint row (a live batch takes that lock before touching its tables),
 * applies what the live projection committed since and swaps the tables: the shadow is then exactly at
 * the live checkpoint, which does not move, and the live projection goes on from it unaware. The shadow
 * never runs ahead of the live checkpoint, so events the live projection dead-lettered (all of them at or
 * below it) are skipped as it skipped them, and new events meet its poison handling, not the rebuild's.
 * A second rebuild of the same projection is refused while one runs.
 * @throws RebuildError; the live tables and checkpoint are then untouched and the shadow schema dropped
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildReport> {
  const { db, projection } = options
  const name = projection.name
  if (projection.tables.length === 0) throw new RebuildError(rebuildErrorCodes.notRebuildable, `${name} declares no tables: it cannot be rebuilt`)
  const logger = options.logger.child({ projection: name, rebuild: true })
  // A session lock on one held connection: released when it ends, even if this process dies.
  return db.connection().execute(async (session) => {
    const lockKey = `tradewatch:rebuild:${name}`
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(hashtextextended(${lockKey}, 0)) AS locked`.execute(session)
    if (!rows[0]?.locked) throw new RebuildError(rebuildErrorCodes.rebuildRunning, `a rebuild of ${name} is already running`)
    try {
      return await rebuildLocked(options, logger)
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.execute(session)
    }
  })
}

async function rebuildLocked(options: RebuildOptions, logger: Logger): Promise<RebuildReport> {
  const { db, projection, batchSize = 5_000, swapTries = 5, lockTimeoutMs = 5_000 } = options
  const name = projection.name
  const schema = shadowSchemaOf(name)
  const started = performance.now()
  // A row to lock at the swap even if the live projection never committed.
  await sql`INSERT INTO consumer_checkpoints (name, position) VALUES (${name}, 0) ON CONFLICT (name) DO NOTHING`.execute(db)
  const deferred = await createShadowTables(db, schema, projection.tables)
  try {
    const shadow = new ShadowLoad(db, projection, schema, batchSize)
    await shadow.applyRange(db, await readCheckpoint(db, name))
    logger.info({ position: shadow.position, applied: shadow.applied }, 'shadow loaded, building its search indexes')
    await buildIndexes(db, schema, deferred)
    for (const table of projection.tables) await sql`ANALYZE ${sql.id(schema, table)}`.execute(db)
    // Catch up outside the swap while the live projection is far ahead, so the swap stays short; a few
    // rounds at most, so a stream busier than the rebuild is fast still ends in a (longer) swap.
    for (let round = 0, live = await readCheckpoint(db, name); round < catchUpRounds && live - shadow.position > batchSize; round++) {
      await shadow.applyRange(db, live)
      live = await readCheckpoint(db, name)
    }
    const position = await swapWithTries(shadow, swapTries, lockTimeoutMs, logger)
    const seconds = (performance.now() - started) / 1000
    const report = { name, position, applied: shadow.applied, seconds, eventsPerSecond: position / seconds }
    logger.info(report, 'projection rebuilt and swapped in')
    return report
  } catch (err) {
    await dropShadow(db, schema).catch((dropErr) => logger.warn({ err: dropErr, schema }, 'could not drop the shadow schema'))
    throw err
  }
}

async function swapWithTries(shadow: ShadowLoad, tries: number, lockTimeoutMs: number, logger: Logger): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await shadow.db.transaction().execute((trx) => shadow.swap(trx, lockTimeoutMs))
    } catch (err) {
      if ((err as { code?: string }).code !== lockTimeout || attempt >= tries) throw err
      logger.warn({ attempt }, 'swap could not take its locks in time (long reads?), trying again')
    }
  }
}

/** The shadow tables and how far they are: events up to `position` are applied. */
class ShadowLoad {
  position = 0
  applied = 0

  constructor(
    readonly db: Db,
    readonly projection: Projection,
    readonly schema: string,
    readonly batchSize: number,
  ) {}

  /**
   * Applies the events after `position` up to `to`: from the pool a batch per transaction, the next read
   * while one is applied; or all in the swap's transaction, read through it too (a pool connection
   * could be held by a live batch waiting for the lock this transaction holds).
   */
  async applyRange(via: Db | Transaction<Database>, to: number): Promise<void> {
    const skipped = await deadLettered(via, this.projection.name, this.position)
    const pooled = via === this.db
    const read = (after: number) => readEvents(via, after, to, this.batchSize)
    let next = read(this.position)
    for (let rows = await next; rows.length > 0; rows = await next) {
      const last = rows[rows.length - 1] as { position: number }
      if (pooled) next = read(last.position)
      const events = rows.filter((e): e is EventEnvelope => 'type' in e && !skipped.has(e.position))
      if (pooled) await this.db.transaction().execute((trx) => this.apply(trx, events))
      else await this.apply(via as Transaction<Database>, events)
      if (!pooled) next = read(last.position)
      this.position = last.position
      this.applied += events.length
    }
  }

  /** One transaction: locks the live checkpoint row, brings the shadow to it, swaps the tables. */
  async swap(trx: Transaction<Database>, lockTimeoutMs: number): Promise<number> {
    const name = this.projection.name
    const shadowAt = { position: this.position, applied: this.applied }
    await sql`SELECT set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`.execute(trx)
    const { rows } = await sql<{ position: string }>`SELECT position FROM consumer_checkpoints WHERE name = ${name} FOR UPDATE`.execute(trx)
    const live = Number(rows[0]?.position ?? 0)
    try {
      if (live > this.position) await this.applyRange(trx, live)
      await swapIn(trx, this.schema, this.projection.tables)
      return this.position
    } catch (err) {
      // The transaction rolls back: so does what it applied.
      Object.assign(this, shadowAt)
      throw err
    }
  }

  private async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]): Promise<void> {
    if (events.length === 0) return
    // The projection's unqualified table names resolve to the shadow tables; the rest (events…) to public.
    await sql`SELECT set_config('search_path', ${`${this.schema}, public`}, true)`.execute(trx)
    try {
      await this.projection.apply(trx, events)
    } catch (err) {
      const range = `${events[0]?.position}–${events[events.length - 1]?.position}`
      throw new RebuildError(
        rebuildErrorCodes.applyFailed,
        `${this.projection.name}: applying events ${range} to the shadow tables failed: ${(err as Error).message}`,
        {
          cause: err,
        },
      )
    }
    await sql`SELECT set_config('search_path', 'public', true)`.execute(trx)
  }
}

/**
 * Events after `after` up to `to`, validated and upcast as the live consumer does; one that fails
 * validation is `{ position }` alone (the live projection dead-letters it, the rebuild skips it).
 */
async function readEvents(db: Db | Transaction<Database>, after: number, to: number, limit: number): Promise<(EventEnvelope | { position: number })[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('position', '>', String(after))
    .where('position', '<=', String(to))
    .orderBy('position')
    .limit(limit)
    .execute()
  return rows.map((row) => {
    try {
      return parseEnvelope(toEnvelope(row))
    } catch {
      return { position: Number(row.position) }
    }
  })
}

async function deadLettered(db: Db | Transaction<Database>, consumer: string, after: number): Promise<Set<number>> {
  const rows = await db.selectFrom('dead_letters').select('position').where('consumer', '=', consumer).where('position', '>', String(after)).execute()
  return new Set(rows.map((r) => Number(r.position)))
}
