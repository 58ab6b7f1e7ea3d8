import { readDemoEvents } from '@tradewatch/demo-data'
import {
  type AgreementEvent,
  type AgreementState,
  aggregateTypeOf,
  decideAgreement,
  decideMeasure,
  type EventEnvelope,
  eventCatalogue,
  evolveAgreement,
  evolveMeasure,
  initialAgreementState,
  initialMeasureState,
  type MeasureEvent,
  type MeasureState,
  parseEnvelope,
  type Source,
  type TradeEventType,
} from '@tradewatch/domain'

/** A fact as a test states it; the builder numbers positions and versions. */
export interface Fact {
  type: TradeEventType
  aggregateId: string
  occurredAt: string
  effectiveAt?: string
  recordedAt: string
  source?: Source
  data: unknown
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const defaultSource: Source = { kind: 'news', url: 'https://example.org/fact', title: 'A test source' }

/**
 * Builds validated envelopes in recording order: positions continue from `after`, versions count per aggregate.
 * Deterministic ids, so two builds of the same facts are the same envelopes.
 */
export function envelopesOf(facts: readonly Fact[], after = 0, versions = new Map<string, number>()): EventEnvelope[] {
  return facts.map((fact, i) => {
    const position = after + i + 1
    const version = (versions.get(fact.aggregateId) ?? 0) + 1
    versions.set(fact.aggregateId, version)
    return parseEnvelope({
      id: uuid(position),
      type: fact.type,
      schemaVersion: eventCatalogue[fact.type].schemaVersion,
      aggregateType: aggregateTypeOf(fact.type),
      aggregateId: fact.aggregateId,
      aggregateVersion: version,
      position,
      occurredAt: fact.occurredAt,
      effectiveAt: fact.effectiveAt ?? null,
      recordedAt: fact.recordedAt,
      source: fact.source ?? defaultSource,
      correlationId: uuid(position),
      causationId: null,
      data: fact.data,
    })
  })
}

interface DemoInput {
  type: TradeEventType
  measureId?: string
  agreementId?: string
  occurredAt: string
  effectiveAt?: string
  source: Source
  data: unknown
}

/**
 * The demo data (packages/demo-data) for the given aggregates, through the deciders as ingest records it, each
 * recorded at noon UTC on the day it occurred.
 */
export function demoFacts(aggregateIds?: readonly string[]): Fact[] {
  const measures = new Map<string, MeasureState>()
  const agreements = new Map<string, AgreementState>()
  const inputs = readDemoEvents() as DemoInput[]
  return inputs.flatMap((input) => {
    const aggregateId = input.measureId ?? input.agreementId ?? ''
    if (aggregateIds && !aggregateIds.includes(aggregateId)) return []
    const event = { type: input.type, data: input.data }
    let decided: { type: TradeEventType; data: unknown }[]
    if (input.measureId) {
      const state = measures.get(aggregateId) ?? initialMeasureState
      decided = decideMeasure(state, event as MeasureEvent)
      measures.set(aggregateId, (decided as MeasureEvent[]).reduce(evolveMeasure, state))
    } else {
      const state = agreements.get(aggregateId) ?? initialAgreementState
      decided = decideAgreement(state, event as AgreementEvent)
      agreements.set(aggregateId, (decided as AgreementEvent[]).reduce(evolveAgreement, state))
    }
    return decided.map((d) => ({
      type: d.type,
      aggregateId,
      occurredAt: input.occurredAt,
      effectiveAt: input.effectiveAt,
      recordedAt: `${input.occurredAt.slice(0, 10)}T12:00:00Z`,
      source: input.source,
      data: d.data,
    }))
  })
}
