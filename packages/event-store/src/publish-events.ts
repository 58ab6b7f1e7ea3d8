import { type RawEnvelope, streams, subjects, headers as twHeaders } from '@tradewatch/domain'
import { headers, type JetStreamClient, type PubAck } from 'nats'
import { EventStoreError, errorCodes } from './errors.js'

const encoder = new TextEncoder()

/**
 * Publishes events in position order, all in flight at once, then awaits every ack. Each
 * publish expects the stream's last sequence to be `position - 1` and carries the event id as
 * message id, so the stream sequence equals the position: a publish out of place is refused by
 * the server rather than stored twice or out of order.
 * Throws if any event was not stored at its position (the ones before it were).
 */
export async function publishEvents(js: JetStreamClient, prefix: string, events: readonly RawEnvelope[]): Promise<void> {
  const stream = streams.events(prefix)
  const pending = events.map((e) => {
    const h = headers()
    h.set(twHeaders.position, String(e.position))
    h.set(twHeaders.type, e.type)
    h.set(twHeaders.schemaVersion, String(e.schemaVersion))
    return js.publish(subjects.event(prefix, e.aggregateType, e.aggregateId), encoder.encode(JSON.stringify(e)), {
      msgID: e.id,
      headers: h,
      expect: { lastSequence: e.position - 1, streamName: stream },
    })
  })
  const settled = await Promise.allSettled(pending)
  for (const [i, s] of settled.entries()) {
    const position = events[i]?.position
    if (s.status === 'rejected') throw new EventStoreError(errorCodes.publishMismatch, `publishing position ${position} failed`, { cause: s.reason })
    if (!matches(s.value, stream, position)) {
      throw new EventStoreError(errorCodes.publishMismatch, `position ${position} was stored as ${s.value.stream} sequence ${s.value.seq}`)
    }
  }
}

function matches(ack: PubAck, stream: string, position: number | undefined): boolean {
  return ack.stream === stream && ack.seq === position
}
