import { readDemoEvents } from '@tradewatch/demo-data'
import { type AggregateType, aggregateTypeOf, deciders, eventCatalogue, type RawEnvelope, type TradeEvent } from '@tradewatch/domain'

/**
 * The demo data (packages/demo-data/data/events.ndjson) as the envelopes ingest would store, each decided by the
 * real deciders and recorded at noon UTC on the day it occurred, so known-at questions have a clock to go by.
 */
export function demoEnvelopes(): RawEnvelope[] {
  const states = new Map<string, unknown>()
  const versions = new Map<string, number>()
  const envelopes: RawEnvelope[] = []
  for (const input of readDemoEvents()) {
    const aggregateType: AggregateType = aggregateTypeOf(input.type)
    const aggregateId = input.measureId ?? input.agreementId ?? ''
    const decider = deciders[aggregateType]
    let state = states.get(aggregateId) ?? decider.initial
    for (const event of decider.decide(state, { type: input.type, data: input.data } as TradeEvent)) {
      state = decider.evolve(state, event)
      const position = envelopes.length + 1
      const version = (versions.get(aggregateId) ?? 0) + 1
      versions.set(aggregateId, version)
      const id = `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`
      envelopes.push({
        id,
        type: event.type,
        schemaVersion: eventCatalogue[event.type].schemaVersion,
        aggregateType,
        aggregateId,
        aggregateVersion: version,
        position,
        occurredAt: input.occurredAt,
        effectiveAt: input.effectiveAt ?? null,
        recordedAt: `${input.occurredAt.slice(0, 10)}T12:00:00.000Z`,
        source: input.source,
        correlationId: id,
        causationId: null,
        data: event.data,
      })
    }
    states.set(aggregateId, state)
  }
  return envelopes
}
