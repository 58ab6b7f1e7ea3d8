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
  apply(trx: Transaction<Database>, events: readonly EventEnvelope[]): Promise<void>
}
