import type { Db } from '@tradewatch/db'
import { type EventEnvelope, parseEnvelope } from '@tradewatch/domain'
import { advanceCheckpoint, type ConsumedMessage, deadLetter } from '@tradewatch/event-store'
import type { Projection } from './projection.js'

/** A message given up on, as recorded in dead_letters and published on the dead-letter subject. */
export interface DeadLetterNotice {
  consumer: string
  position: number
  eventId?: string
  eventType?: string
  reason: string
  attempts: number
  payload: unknown
}

/** What one committed transaction did. */
export interface Committed {
  from: number
  to: number
  applied: number
  deadLetters: DeadLetterNotice[]
}

/**
 * Applies `messages` (contiguous, after checkpoint `from`) and moves the checkpoint to the last
 * of them in one transaction. Messages that fail validation are dead-lettered in it (permanent:
 * retrying cannot fix them). With `poison`, the messages are not applied at all but
 * dead-lettered with that reason: the checkpoint still moves past them, atomically.
 */
export async function commitMessages(
  db: Db,
  projection: Projection,
  from: number,
  messages: readonly ConsumedMessage[],
  poison?: { reason: string; attempts: number },
): Promise<Committed> {
  const valid: EventEnvelope[] = []
  const deadLetters: DeadLetterNotice[] = []
  for (const message of messages) {
    const notice = (reason: string, attempts: number): DeadLetterNotice => ({
      consumer: projection.name,
      position: message.position,
      eventId: message.envelope?.id,
      eventType: message.envelope?.type,
      reason,
      attempts,
      payload: message.envelope ?? message.raw ?? null,
    })
    if (poison) {
      deadLetters.push(notice(poison.reason, poison.attempts))
      continue
    }
    try {
      if (!message.envelope) throw new Error(message.error ?? 'unreadable message')
      valid.push(parseEnvelope(message.envelope))
    } catch (err) {
      deadLetters.push(notice((err as Error).message, 1))
    }
  }
  const to = messages[messages.length - 1]?.position ?? from
  await db.transaction().execute(async (trx) => {
    // The checkpoint first, before any table: its row lock is what a rebuild's swap holds, so a batch
    // waiting behind a swap writes to the swapped-in tables, never to the ones the swap retired.
    await advanceCheckpoint(trx, projection.name, from, to)
    if (valid.length > 0) await projection.apply(trx, valid)
    for (const entry of deadLetters) await deadLetter(trx, entry)
  })
  return { from, to, applied: valid.length, deadLetters }
}
