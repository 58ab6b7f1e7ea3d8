import type { Database, Db } from '@tradewatch/db'
import type { Logger } from '@tradewatch/logger'
import { sql, type Transaction } from 'kysely'
import { applyPass } from './rebuild-pass.js'
import type { ShadowLoad } from './rebuild-shadow.js'
import { swapIn } from './shadow-tables.js'

const lockTimeout = '55P03'

export interface SwapOptions {
  batchSize: number
  /** Tries of the swap when it cannot take the tables' locks within `lockTimeoutMs`. */
  tries: number
  lockTimeoutMs: number
  logger: Logger
}

/** Swaps a loaded shadow in (see `swap`), trying again when the tables' locks are not to be had in time. */
export async function swapWithTries(db: Db, shadow: ShadowLoad, options: SwapOptions): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => swap(db, trx, shadow, options))
    } catch (err) {
      if ((err as { code?: string }).code !== lockTimeout || attempt >= options.tries) throw err
      options.logger.warn({ attempt }, 'swap could not take its locks in time (long reads?), trying again')
    }
  }
}

/** One transaction: locks the live checkpoint row, brings the shadow to it, swaps the tables. */
async function swap(db: Db, trx: Transaction<Database>, shadow: ShadowLoad, options: SwapOptions): Promise<number> {
  const before = { position: shadow.position, applied: shadow.applied, target: shadow.target }
  await sql`SELECT set_config('lock_timeout', ${`${options.lockTimeoutMs}ms`}, true)`.execute(trx)
  const { rows } = await sql<{ position: string }>`SELECT position FROM consumer_checkpoints WHERE name = ${shadow.name} FOR UPDATE`.execute(trx)
  try {
    shadow.target = Number(rows[0]?.position ?? 0)
    await applyPass(db, trx, [shadow], options.batchSize)
    await swapIn(trx, shadow.schema, shadow.projection.tables)
    return shadow.position
  } catch (err) {
    // The transaction rolls back: so does what it applied.
    Object.assign(shadow, before)
    throw err
  }
}
