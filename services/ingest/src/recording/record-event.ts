import { randomUUID } from 'node:crypto'
import { type AggregateType, eventCatalogue, parseEnvelope, streamIdOf, type TradeEvent } from '@tradewatch/domain'
import { type EventStore, type StreamRef, WrongExpectedVersionError } from '@tradewatch/event-store'
import { deciders } from './aggregates.js'
import type { EventInput } from './event-input.js'
import { idempotencyKeyOf } from './idempotency.js'

export interface RecordedEvent {
  status: 'appended' | 'duplicate'
  eventId: string
  aggregateType: AggregateType
  aggregateId: string
  version: number
  position: number
}

/** The decider found nothing to record (e.g. a rate change to the rate in force). */
export interface UnchangedAggregate {
  status: 'unchanged'
  aggregateType: AggregateType
  aggregateId: string
  version: number
}

export type RecordOutcome = RecordedEvent | UnchangedAggregate

/** Attempts to re-decide on fresh state when a concurrent writer got there first. */
const maxAttempts = 8

/**
 * Records one submitted fact: folds the aggregate's events, asks its decider, and appends
 * what it decides. Without `expectedVersion` a concurrent append is retried on fresh state;
 * with it, a mismatch is the caller's WrongExpectedVersionError.
 */
export async function recordEvent(store: EventStore, input: EventInput): Promise<RecordOutcome> {
  const aggregateType = eventCatalogue[input.type as keyof typeof eventCatalogue].aggregateType
  const aggregateId = (aggregateType === 'measure' ? input.measureId : input.agreementId) as string
  const stream: StreamRef = { aggregateType, aggregateId }
  const idempotencyKey = idempotencyKeyOf(input, streamIdOf(aggregateType, aggregateId))

  const known = (await store.findByIdempotencyKeys([idempotencyKey])).get(idempotencyKey)
  if (known) return { ...known, status: 'duplicate', aggregateType, aggregateId }

  const decider = deciders[aggregateType]
  const proposed = { type: input.type, data: input.data } as TradeEvent
  const correlationId = input.correlationId ?? randomUUID()
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(stream)
    const state = history.reduce((s, raw) => {
      const { type, data } = parseEnvelope(raw)
      return decider.evolve(s, { type, data } as TradeEvent)
    }, decider.initial)
    const version = history.length
    if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
      throw new WrongExpectedVersionError(streamIdOf(aggregateType, aggregateId), input.expectedVersion, version)
    }
    const decided = decider.decide(state, proposed)
    if (decided.length === 0) return { status: 'unchanged', aggregateType, aggregateId, version }
    try {
      const result = await store.append(
        stream,
        decided.map((event, i) => ({
          type: event.type,
          schemaVersion: eventCatalogue[event.type].schemaVersion,
          data: event.data,
          // Only the submitted fact carries the producer's key; follow-on events are keyed off it.
          idempotencyKey: i === 0 ? idempotencyKey : `${idempotencyKey}#${i}`,
          metadata: {
            occurredAt: input.occurredAt,
            effectiveAt: input.effectiveAt ?? null,
            source: input.source,
            correlationId,
            causationId: input.causationId ?? null,
          },
        })),
        { expectedVersion: version },
      )
      const first = result.events[0]
      if (!first) throw new Error('append returned no events')
      return { status: first.status, eventId: first.eventId, aggregateType, aggregateId, version: first.version, position: first.position }
    } catch (err) {
      if (err instanceof WrongExpectedVersionError && input.expectedVersion === undefined && attempt < maxAttempts) continue
      throw err
    }
  }
}
