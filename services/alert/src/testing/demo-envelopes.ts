import { readDemoEvents } from '@tradewatch/demo-data'
import { aggregateTypeOf, type EventEnvelope, eventCatalogue, parseEnvelope } from '@tradewatch/domain'

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

/**
 * The demo data as the store would hand it out: validated envelopes at positions 1…n, versions
 * counted per aggregate, each recorded at noon UTC on the day it occurred. Deterministic ids.
 */
export function demoEnvelopes(): EventEnvelope[] {
  const versions = new Map<string, number>()
  return readDemoEvents().map((input, i) => {
    const aggregateId = input.measureId ?? input.agreementId ?? ''
    const version = (versions.get(aggregateId) ?? 0) + 1
    versions.set(aggregateId, version)
    return parseEnvelope({
      id: uuid(i + 1),
      type: input.type,
      schemaVersion: eventCatalogue[input.type].schemaVersion,
      aggregateType: aggregateTypeOf(input.type),
      aggregateId,
      aggregateVersion: version,
      position: i + 1,
      occurredAt: input.occurredAt,
      effectiveAt: input.effectiveAt ?? null,
      recordedAt: `${input.occurredAt.slice(0, 10)}T12:00:00Z`,
      source: input.source,
      correlationId: uuid(i + 1),
      causationId: null,
      data: input.data,
    })
  })
}
