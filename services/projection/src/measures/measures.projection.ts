import type { Database } from '@tradewatch/db'
import { type EventEnvelope, evolveMeasure, initialMeasureState, type MeasureEvent, type MeasureState } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import type { Transaction } from 'kysely'
import { insertJsonRows } from '../sql/json-rows.js'
import { toMeasureRow } from './measure-row.js'

/** Current state of every measure: one row each, folded with the domain's own evolve. */
export const measuresProjection: Projection = {
  name: 'measures',
  tables: ['measures'],
  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
    const byMeasure = new Map<string, EventEnvelope[]>()
    for (const event of events) {
      if (event.aggregateType !== 'measure') continue
      const list = byMeasure.get(event.aggregateId)
      if (list) list.push(event)
      else byMeasure.set(event.aggregateId, [event])
    }
    if (byMeasure.size === 0) return

    const existing = await trx
      .selectFrom('measures')
      .select(['measure_id', 'state', 'announced_at'])
      .where('measure_id', 'in', [...byMeasure.keys()])
      .execute()
    const current = new Map(existing.map((row) => [row.measure_id, row]))

    // One row per measure, so the UPSERT never touches a key twice.
    const rows = [...byMeasure].flatMap(([measureId, measureEvents]) => {
      const row = current.get(measureId)
      let state = (row?.state as MeasureState | undefined) ?? initialMeasureState
      let announcedAt = row?.announced_at ? row.announced_at.toISOString() : null
      for (const event of measureEvents) {
        state = evolveMeasure(state, { type: event.type, data: event.data } as MeasureEvent)
        if (event.type === 'MeasureAnnounced' && !announcedAt) announcedAt = event.occurredAt
      }
      // Only a measure the deciders let through is here; one without a first event has no row.
      if (state.status === 'none') return []
      return [toMeasureRow(measureId, state, measureEvents[measureEvents.length - 1] as EventEnvelope, announcedAt)]
    })
    if (rows.length === 0) return

    await insertJsonRows(trx, 'measures', rows, ['state'])
      .onConflict((oc) =>
        oc.column('measure_id').doUpdateSet((eb) => ({
          imposer: eb.ref('excluded.imposer'),
          targets: eb.ref('excluded.targets'),
          kind: eb.ref('excluded.kind'),
          status: eb.ref('excluded.status'),
          title: eb.ref('excluded.title'),
          ad_valorem_rate: eb.ref('excluded.ad_valorem_rate'),
          direction: eb.ref('excluded.direction'),
          state: eb.ref('excluded.state'),
          version: eb.ref('excluded.version'),
          last_position: eb.ref('excluded.last_position'),
          announced_at: eb.ref('excluded.announced_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  },
}
