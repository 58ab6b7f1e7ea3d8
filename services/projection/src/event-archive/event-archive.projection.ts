import type { Database } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import type { Transaction } from 'kysely'
import { insertJsonRows } from '../sql/json-rows.js'

/** Every event as the projector hands it over (validated, upcast to the current schema), keyed by position. One insert per batch. */
export const eventArchiveProjection: Projection = {
  name: 'event-archive',
  tables: ['event_archive'],
  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
    if (events.length === 0) return
    const rows = events.map((event) => ({
      position: event.position,
      event_id: event.id,
      event_type: event.type,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      recorded_at: event.recordedAt,
      envelope: JSON.stringify(event),
    }))
    await insertJsonRows(trx, 'event_archive', rows, ['envelope']).execute()
  },
}
