import type { Database, Db } from '@tradewatch/db'
import { sql, type Transaction } from 'kysely'
import { CheckpointConflictError, EventStoreError, errorCodes } from './errors.js'

/** The consumer's last committed position, 0 if it never committed. */
export async function readCheckpoint(db: Db | Transaction<Database>, name: string): Promise<number> {
  const row = await db.selectFrom('consumer_checkpoints').select('position').where('name', '=', name).executeTakeFirst()
  return Number(row?.position ?? 0)
}

/**
 * Moves the checkpoint from `from` to `to` inside the handler's transaction, as a
 * compare-and-set: if another instance moved it, nothing is written and the transaction must
 * roll back.
 * @throws CheckpointConflictError when the stored position is not `from`
 */
export async function advanceCheckpoint(trx: Transaction<Database>, name: string, from: number, to: number): Promise<void> {
  if (to < from) throw new EventStoreError(errorCodes.invalidArgument, `checkpoint ${name} cannot move back from ${from} to ${to}`)
  // Under READ COMMITTED a concurrent writer of the same row blocks us, then the WHERE is
  // re-checked against its committed position: exactly one of two racing moves wins.
  const result =
    from === 0
      ? await sql`
          INSERT INTO consumer_checkpoints (name, position) VALUES (${name}, ${to})
          ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = now()
          WHERE consumer_checkpoints.position = 0`.execute(trx)
      : await sql`UPDATE consumer_checkpoints SET position = ${to}, updated_at = now() WHERE name = ${name} AND position = ${from}`.execute(trx)
  if (Number(result.numAffectedRows ?? 0) !== 1) throw new CheckpointConflictError(name, from, await readCheckpoint(trx, name))
}
