import type { AlertStatesTable, Database } from '@tradewatch/db'
import {
  type AgreementEvent,
  type EventEnvelope,
  evolveAgreement,
  evolveMeasure,
  initialAgreementState,
  initialMeasureState,
  type MeasureEvent,
} from '@tradewatch/domain'
import type { Insertable, Transaction } from 'kysely'
import type { AggregateState, Change } from './change.js'

const keyOf = (aggregateType: string, aggregateId: string) => `${aggregateType}/${aggregateId}`

/** The state before an aggregate's first event. */
export const initialStateOf = (event: EventEnvelope): AggregateState => (event.aggregateType === 'measure' ? initialMeasureState : initialAgreementState)

/** The domain's evolve for the event's aggregate type. */
export const evolveAggregate = (state: AggregateState, event: EventEnvelope): AggregateState =>
  event.aggregateType === 'measure'
    ? evolveMeasure(state as Parameters<typeof evolveMeasure>[0], { type: event.type, data: event.data } as MeasureEvent)
    : evolveAgreement(state as Parameters<typeof evolveAgreement>[0], { type: event.type, data: event.data } as AgreementEvent)

/**
 * Folds a batch of events over the stored state of their aggregates (the domain's evolve), giving each
 * event its before and after, and writes the states the batch leaves. Runs in the transaction that moves
 * the alert checkpoint, so the stored states are always exactly those at the checkpoint.
 */
export async function foldChanges(trx: Transaction<Database>, events: readonly EventEnvelope[]): Promise<Change[]> {
  const stored = await trx
    .selectFrom('alert_states')
    .select(['aggregate_type', 'aggregate_id', 'state'])
    .where('aggregate_id', 'in', [...new Set(events.map((e) => e.aggregateId))])
    .execute()
  const states = new Map(stored.map((row) => [keyOf(row.aggregate_type, row.aggregate_id), row.state as AggregateState]))
  const changed = new Map<string, Insertable<AlertStatesTable>>()
  const changes = events.map((event) => {
    const key = keyOf(event.aggregateType, event.aggregateId)
    const before = states.get(key) ?? initialStateOf(event)
    const after = evolveAggregate(before, event)
    states.set(key, after)
    changed.set(key, { aggregate_type: event.aggregateType, aggregate_id: event.aggregateId, state: JSON.stringify(after), last_position: event.position })
    return { event, before, after }
  })
  // One row per aggregate (the batch's last state), so the upsert touches each key once.
  await trx
    .insertInto('alert_states')
    .values([...changed.values()])
    .onConflict((oc) =>
      oc
        .columns(['aggregate_type', 'aggregate_id'])
        .doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), last_position: eb.ref('excluded.last_position') })),
    )
    .execute()
  return changes
}
