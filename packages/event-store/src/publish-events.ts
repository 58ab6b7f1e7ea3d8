import { type RawEnvelope, streams, subjects, headers as twHeaders } from '@tradewatch/domain'
import { createInbox, headers, type Msg, type NatsConnection } from 'nats'
import { EventStoreError, errorCodes } from './errors.js'

/** Publishes batches of events into the events stream; any number of batches may be in flight. */
export interface EventPublisher {
  /**
   * Publishes events in position order and resolves once JetStream acknowledged each at its
   * position. Each publish expects the stream's last sequence to be `position - 1` and carries the
   * event id as message id, so the stream sequence equals the position: a publish out of place is
   * refused by the server rather than stored twice or out of order (and so is every later one).
   * Rejects if any event was not stored at its position (the ones before it were).
   */
  publish(events: readonly RawEnvelope[]): Promise<void>
  close(): void
}

interface Batch {
  /** Token of the batch's first publish. */
  first: number
  positions: number[]
  acked: number
  resolve(): void
  reject(err: Error): void
  timer?: NodeJS.Timeout
}

// As long as a request of the JetStream client waits for its ack.
const ackTimeoutMs = 5_000
const decoder = new TextDecoder()

/**
 * Publishes with `nc.publish` and one reply subscription, matching each ack to its publish by a
 * token in the reply subject. The JetStream client's `publish` is a request per message, with a
 * timer and an Error object built for each ack (~10% of the relay's CPU); here a batch costs one timer.
 */
export function openEventPublisher(nc: NatsConnection, prefix: string): EventPublisher {
  const stream = streams.events(prefix)
  const inbox = `${createInbox()}.`
  const batches: Batch[] = []
  let next = 0

  const fail = (batch: Batch, err: Error) => {
    clearTimeout(batch.timer)
    batches.splice(batches.indexOf(batch), 1)
    batch.reject(err)
  }
  const onAck = (msg: Msg) => {
    const token = Number(msg.subject.slice(inbox.length))
    // An ack of a batch already given up on (timed out, failed) is ignored.
    const batch = batches.find((b) => token >= b.first && token < b.first + b.positions.length)
    if (!batch) return
    const position = batch.positions[token - batch.first]
    const problem = ackProblem(msg, stream, position)
    if (problem) return fail(batch, new EventStoreError(errorCodes.publishMismatch, `publishing position ${position} failed: ${problem}`))
    batch.acked += 1
    if (batch.acked < batch.positions.length) return
    clearTimeout(batch.timer)
    batches.splice(batches.indexOf(batch), 1)
    batch.resolve()
  }
  const subscription = nc.subscribe(`${inbox}*`, { callback: (err, msg) => (err ? undefined : onAck(msg)) })

  return {
    publish(events) {
      if (events.length === 0) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const batch: Batch = { first: next, positions: events.map((e) => e.position), acked: 0, resolve, reject }
        batch.timer = setTimeout(() => {
          const missing = batch.positions.length - batch.acked
          fail(batch, new EventStoreError(errorCodes.publishMismatch, `no ack within ${ackTimeoutMs} ms for ${missing} of positions ${batch.positions[0]}..`))
        }, ackTimeoutMs)
        batches.push(batch)
        next += events.length
        for (const [i, e] of events.entries()) {
          // The headers the JetStream client's publish sets for msgID and expect.
          const h = headers()
          h.set('Nats-Msg-Id', e.id)
          h.set('Nats-Expected-Stream', stream)
          h.set('Nats-Expected-Last-Sequence', String(e.position - 1))
          h.set(twHeaders.position, String(e.position))
          h.set(twHeaders.type, e.type)
          h.set(twHeaders.schemaVersion, String(e.schemaVersion))
          nc.publish(subjects.event(prefix, e.aggregateType, e.aggregateId), JSON.stringify(e), { reply: `${inbox}${batch.first + i}`, headers: h })
        }
      })
    },
    close() {
      subscription.unsubscribe()
      for (const batch of [...batches]) fail(batch, new EventStoreError(errorCodes.publishMismatch, 'publisher closed'))
    },
  }
}

/** Why an ack does not confirm `position` stored in `stream` (undefined when it does). */
function ackProblem(msg: Msg, stream: string, position: number | undefined): string | undefined {
  // No responders (the stream is gone) and other statuses come as header-only messages.
  if (msg.data.length === 0) return `status ${msg.headers?.code ?? 'none'} ${msg.headers?.description ?? ''}`.trim()
  let ack: { stream?: string; seq?: number; error?: { description?: string } }
  try {
    ack = JSON.parse(decoder.decode(msg.data))
  } catch {
    return 'unreadable ack'
  }
  if (ack.error) return ack.error.description ?? 'error'
  if (ack.stream !== stream || ack.seq !== position) return `stored as ${ack.stream} sequence ${ack.seq}`
  return undefined
}
