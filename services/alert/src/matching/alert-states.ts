import {
  type AgreementEvent,
  type EventEnvelope,
  evolveAgreement,
  evolveMeasure,
  initialAgreementState,
  initialMeasureState,
  type MeasureEvent,
} from '@tradewatch/domain'
import type { AggregateState, Change } from './change.js'

/** `measure/ca-cn-ev-surtax`: how alert_states rows are keyed in memory. */
export const stateKeyOf = (aggregateType: string, aggregateId: string) => `${aggregateType}/${aggregateId}`

/** The state before an aggregate's first event. */
export const initialStateOf = (event: EventEnvelope): AggregateState => (event.aggregateType === 'measure' ? initialMeasureState : initialAgreementState)

/** The domain's evolve for the event's aggregate type. */
export const evolveAggregate = (state: AggregateState, event: EventEnvelope): AggregateState =>
  event.aggregateType === 'measure'
    ? evolveMeasure(state as Parameters<typeof evolveMeasure>[0], { type: event.type, data: event.data } as MeasureEvent)
    : evolveAgreement(state as Parameters<typeof evolveAgreement>[0], { type: event.type, data: event.data } as AgreementEvent)

/** A state the batch leaves, to be stored. */
export interface StateRow {
  aggregate_type: string
  aggregate_id: string
  state: AggregateState
  last_position: number
}

/**
 * Folds a batch of events over the stored state of their aggregates (the domain's evolve), giving each
 * event its before and after, and the last state per aggregate to store (one row per aggregate, so the
 * upsert touches each key once).
 */
export function foldChanges(stored: ReadonlyMap<string, AggregateState>, events: readonly EventEnvelope[]): { changes: Change[]; states: StateRow[] } {
  const states = new Map(stored)
  const changed = new Map<string, StateRow>()
  const changes = events.map((event) => {
    const key = stateKeyOf(event.aggregateType, event.aggregateId)
    const before = states.get(key) ?? initialStateOf(event)
    const after = evolveAggregate(before, event)
    states.set(key, after)
    changed.set(key, { aggregate_type: event.aggregateType, aggregate_id: event.aggregateId, state: after, last_position: event.position })
    return { event, before, after }
  })
  return { changes, states: [...changed.values()] }
}
