import type { Database } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import type { Transaction } from 'kysely'

/**
 * A read model fed in strict position order. `apply` runs inside the transaction that also
 * moves the checkpoint, so it must be deterministic: no clock, no random ids, no look-ups
 * outside Postgres.
 */
export interface Projection {
  readonly name: string
  /**
   * The tables `apply` writes, all in `public` and written only by it: a rebuild recreates exactly these
   * in a shadow schema and swaps them in. Empty for a consumer that must not be rebuilt (it has effects).
   */
  readonly tables: readonly string[]
  /**
   * Indexes of those tables, beyond primary keys and unique constraints, that `apply` reads through: a rebuild
   * keeps them while it loads the shadow tables and builds every other index once, after the load.
   */
  readonly applyIndexes?: readonly string[]
  apply(trx: Transaction<Database>, events: readonly EventEnvelope[]): Promise<void>
}
