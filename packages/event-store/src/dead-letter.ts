import type { Database } from '@tradewatch/db'
import type { Transaction } from 'kysely'

export interface DeadLetterEntry {
  consumer: string
  position: number
  eventId?: string
  eventType?: string
  reason: string
  attempts: number
  /** The message as received (parsed envelope, or raw text when it did not parse). */
  payload: unknown
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Records a message the consumer gives up on, in the same transaction that moves its checkpoint
 * past it. The reason lives here because NATS 2.9's `term()` drops it. The caller publishes to
 * `subjects.deadLetter` after commit.
 */
export async function deadLetter(trx: Transaction<Database>, entry: DeadLetterEntry): Promise<void> {
  await trx
    .insertInto('dead_letters')
    .values({
      consumer: entry.consumer,
      position: entry.position,
      // An invalid message may carry any id: keep it in the payload, not in the uuid column.
      event_id: entry.eventId && uuidPattern.test(entry.eventId) ? entry.eventId : null,
      event_type: entry.eventType ?? null,
      reason: entry.reason,
      attempts: entry.attempts,
      payload: JSON.stringify(entry.payload ?? null),
    })
    .execute()
}
