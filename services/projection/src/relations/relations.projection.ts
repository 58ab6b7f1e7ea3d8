import type { Database, RelationAgreementsTable, RelationMeasuresTable, RelationMonthlyTable, RelationStatesTable } from '@tradewatch/db'
import {
  type AgreementEvent,
  type AgreementState,
  type EventEnvelope,
  evolveAgreement,
  initialAgreementState,
  type LiveMeasureState,
  type MeasureEvent,
} from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import { type Insertable, sql, type Transaction } from 'kysely'
import { worldDay } from '../measure-history/world-time.js'
import { agreementRows } from './agreement-rows.js'
import { foldMeasure, initialMeasureFold, type MeasureFold, measureRows } from './measure-fold.js'
import { monthlyCounts } from './monthly-counts.js'
import { upsertRelations } from './upsert.js'

type Fold = MeasureFold | AgreementState
const keyOf = (...parts: readonly unknown[]) => JSON.stringify(parts)

/**
 * Relations per ordered pair of countries: the measures each way, the agreements between them, and monthly
 * counts of restrictive and liberalising measure events. Nothing here knows today's date: which measures
 * are active is asked at query time (relation-summary.ts).
 * Per batch: one read of the touched states, then one upsert each into the four tables.
 */
export const relationsProjection: Projection = {
  name: 'relations',
  tables: ['relation_states', 'relation_measures', 'relation_agreements', 'relation_monthly'],
  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
    const relevant = events.filter((e) => e.aggregateType === 'measure' || e.aggregateType === 'agreement')
    if (relevant.length === 0) return
    // One primary-key probe per aggregate (LIMIT keeps the planner from turning it into a join): on aggregate_id
    // alone the key cannot serve, and every batch scanned the whole table, more each batch during a catch-up.
    const touched = [...new Map(relevant.map((e) => [keyOf(e.aggregateType, e.aggregateId), e])).values()]
    const { rows: existing } = await sql<{ aggregate_type: string; aggregate_id: string; state: unknown }>`
      SELECT s.aggregate_type, s.aggregate_id, s.state
      FROM unnest(${touched.map((e) => e.aggregateType)}::text[], ${touched.map((e) => e.aggregateId)}::text[]) AS k (type, id)
      CROSS JOIN LATERAL (SELECT * FROM relation_states WHERE aggregate_type = k.type AND aggregate_id = k.id LIMIT 1) AS s`.execute(trx)
    const folds = new Map(existing.map((row) => [keyOf(row.aggregate_type, row.aggregate_id), row.state as Fold]))

    // Keyed by primary key, so each UPSERT touches a key once: the batch's last word wins, counts add up.
    // Each touched state's last event: its fold is encoded once, after the batch, not after every event.
    const lastEvents = new Map<string, EventEnvelope>()
    const measures = new Map<string, Insertable<RelationMeasuresTable>>()
    const agreements = new Map<string, Insertable<RelationAgreementsTable>>()
    const monthly = new Map<string, Insertable<RelationMonthlyTable> & { restrictive_count: number; liberalising_count: number }>()

    for (const event of relevant) {
      const stateKey = keyOf(event.aggregateType, event.aggregateId)
      if (event.aggregateType === 'measure') {
        const before = (folds.get(stateKey) as MeasureFold | undefined) ?? initialMeasureFold
        const after = foldMeasure(before, event)
        if (after.state.status === 'none') continue
        const live = after as MeasureFold & { state: LiveMeasureState }
        folds.set(stateKey, after)
        for (const row of measureRows(event.aggregateId, before.state, live, event)) measures.set(keyOf(row.imposer, row.partner, row.measure_id), row)
        const previous = before.state.status === 'none' ? null : before.state
        for (const count of monthlyCounts({ type: event.type, data: event.data } as MeasureEvent, previous, live.state)) {
          const month = `${worldDay(event.occurredAt).slice(0, 7)}-01`
          const key = keyOf(live.state.imposer, count.partner, count.excluded, month)
          const row = monthly.get(key) ?? {
            imposer: live.state.imposer,
            partner: count.partner,
            excluded: count.excluded,
            month,
            restrictive_count: 0,
            liberalising_count: 0,
          }
          if (count.direction === 'restrictive') row.restrictive_count += 1
          else row.liberalising_count += 1
          monthly.set(key, row)
        }
      } else {
        const before = (folds.get(stateKey) as AgreementState | undefined) ?? initialAgreementState
        const after = evolveAgreement(before, { type: event.type, data: event.data } as AgreementEvent)
        if (after.status === 'none') continue
        folds.set(stateKey, after)
        for (const row of agreementRows(event.aggregateId, after, event)) agreements.set(keyOf(row.party_a, row.party_b, row.agreement_id), row)
      }
      lastEvents.set(stateKey, event)
    }
    const states = [...lastEvents].map(
      ([stateKey, event]): Insertable<RelationStatesTable> => ({
        aggregate_type: event.aggregateType,
        aggregate_id: event.aggregateId,
        state: JSON.stringify(folds.get(stateKey)),
        last_position: event.position,
      }),
    )
    await upsertRelations(trx, {
      states,
      measures: [...measures.values()],
      agreements: [...agreements.values()],
      monthly: [...monthly.values()],
    })
  },
}
