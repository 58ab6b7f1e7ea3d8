import type { Database, MeasureHistoryTable } from '@tradewatch/db'
import { type EventEnvelope, evolveMeasure, initialMeasureState, type MeasureEvent, type MeasureState } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import { type Insertable, sql, type Transaction } from 'kysely'
import { insertJsonRows } from '../sql/json-rows.js'
import { effectiveDay } from './world-time.js'

/**
 * One row per measure event with the measure's state after it (served by GET /v1/measures/:id). Per batch: one
 * read of each touched measure's latest state, one insert.
 */
export const measureHistoryProjection: Projection = {
  name: 'measure-history',
  tables: ['measure_history'],
  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
    const measureEvents = events.filter((e) => e.aggregateType === 'measure')
    if (measureEvents.length === 0) return
    const ids = [...new Set(measureEvents.map((e) => e.aggregateId))]
    // One primary-key probe per measure: a DISTINCT ON over `IN (…)` is planned as a scan of the whole table while
    // it has no statistics yet (a catch-up from 0), which made each batch cost more as the table grew.
    const { rows: latest } = await sql<{ measure_id: string; state_after: MeasureState }>`
      SELECT h.measure_id, h.state_after
      FROM unnest(${ids}::text[]) AS m (id)
      CROSS JOIN LATERAL (
        SELECT measure_id, state_after FROM measure_history WHERE measure_id = m.id ORDER BY version DESC LIMIT 1
      ) AS h`.execute(trx)
    const states = new Map(latest.map((row) => [row.measure_id, row.state_after]))
    const rows: Insertable<MeasureHistoryTable>[] = []
    for (const event of measureEvents) {
      const state = evolveMeasure(states.get(event.aggregateId) ?? initialMeasureState, { type: event.type, data: event.data } as MeasureEvent)
      states.set(event.aggregateId, state)
      // Only a measure the deciders let through is here; an event before any opening has no state to show.
      if (state.status === 'none') continue
      rows.push({
        measure_id: event.aggregateId,
        version: event.aggregateVersion,
        position: event.position,
        event_type: event.type,
        status_after: state.status,
        rate_after: state.rate === null ? null : JSON.stringify(state.rate),
        rate_percent_after: state.rate?.type === 'ad_valorem' ? state.rate.percent : null,
        occurred_at: event.occurredAt,
        effective_at: event.effectiveAt,
        effective_on: effectiveDay(event),
        recorded_at: event.recordedAt,
        state_after: JSON.stringify(state),
      })
    }
    if (rows.length > 0) await insertJsonRows(trx, 'measure_history', rows, ['rate_after', 'state_after']).execute()
  },
}
