import { randomUUID } from 'node:crypto'
import { type AggregateType, headers, streams } from '@tradewatch/domain'
import { createLogger, type Logger } from '@tradewatch/logger'
import type { NatsConnection } from 'nats'
import type { NewEvent, StreamRef } from './types.js'

/** A valid event for tests, numbered `n`. */
export function testEvent(n: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    type: 'MeasureRateChanged',
    data: { n },
    metadata: {
      occurredAt: '2026-01-16',
      effectiveAt: null,
      source: { kind: 'news', url: `https://example.org/${n}`, title: 'Test source' },
      correlationId: randomUUID(),
      causationId: null,
    },
    ...overrides,
  }
}

export const streamRef = (aggregateId: string, aggregateType: AggregateType = 'measure'): StreamRef => ({ aggregateType, aggregateId })

/** Quiet unless LOG_LEVEL says otherwise. */
export const testLogger = (): Logger => createLogger({ service: 'event-store-test', level: process.env.LOG_LEVEL ?? 'silent' })

/** What a test checks of each stored message. */
export interface StoredMessage {
  seq: number
  msgId: string | undefined
  positionHeader: string | undefined
  subject: string
  envelope: { id: string; position: number }
}

/** Every message of the events stream, in sequence order, read with an ordered consumer. */
export async function readStoredMessages(nc: NatsConnection, prefix: string): Promise<StoredMessage[]> {
  const jsm = await nc.jetstreamManager()
  const info = await jsm.streams.info(streams.events(prefix))
  const out: StoredMessage[] = []
  if (info.state.messages === 0) return out
  const consumer = await nc.jetstream().consumers.get(streams.events(prefix), { opt_start_seq: info.state.first_seq })
  const messages = await consumer.consume({ max_messages: 1000 })
  for await (const m of messages) {
    out.push({
      seq: m.seq,
      msgId: m.headers?.get('Nats-Msg-Id'),
      positionHeader: m.headers?.get(headers.position),
      subject: m.subject,
      envelope: m.json(),
    })
    if (m.seq >= info.state.last_seq) break
  }
  messages.stop()
  return out
}
