import type { Db } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import { advanceCheckpoint, type ConsumedMessage, deadLetter } from '@tradewatch/event-store'
import { sql } from 'kysely'
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
 * of them in one transaction. Messages that failed validation are dead-lettered in it (permanent:
 * retrying cannot fix them). With `poison`, the messages are not applied at all but
 * dead-lettered with that reason: the checkpoint still moves past them, atomically. Not `durable`: the commit
 * does not wait for the WAL flush (see ProjectorOptions.durableCommits).
 */
export async function commitMessages(
  db: Db,
  projection: Projection,
  from: number,
  messages: readonly ConsumedMessage[],
  poison?: { reason: string; attempts: number },
  durable = true,
): Promise<Committed> {
  const valid: EventEnvelope[] = []
  const deadLetters: DeadLetterNotice[] = []
  for (const message of messages) {
    const notice = (reason: string, attempts: number): DeadLetterNotice => ({
      consumer: projection.name,
      position: message.position,
      eventId: message.envelope?.id ?? field(message.raw, 'id'),
      eventType: message.envelope?.type ?? field(message.raw, 'type'),
      reason,
      attempts,
      payload: message.envelope ?? message.raw ?? null,
    })
    if (poison) {
      deadLetters.push(notice(poison.reason, poison.attempts))
      continue
    }
    // Validated by the consumer: one that is not a valid envelope is dead-lettered, never applied.
    if (message.envelope) valid.push(message.envelope)
    else deadLetters.push(notice(message.error ?? 'unreadable message', 1))
  }
  const to = messages[messages.length - 1]?.position ?? from
  await db.transaction().execute(async (trx) => {
    if (!durable) await sql`SET LOCAL synchronous_commit = off`.execute(trx)
    // The checkpoint first, before any table: its row lock is what a rebuild's swap holds, so a batch
    // waiting behind a swap writes to the swapped-in tables, never to the ones the swap retired.
    await advanceCheckpoint(trx, projection.name, from, to)
    if (valid.length > 0) await projection.apply(trx, valid)
    for (const entry of deadLetters) await deadLetter(trx, entry)
  })
  return { from, to, applied: valid.length, deadLetters }
}

/** A string field of a message that is not a valid envelope, to name it in its dead letter. */
function field(raw: unknown, key: 'id' | 'type'): string | undefined {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined
  return typeof value === 'string' ? value : undefined
}
