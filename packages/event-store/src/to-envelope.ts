import type { EventsTable } from '@tradewatch/db'
import type { AggregateType, EventMetadata, RawEnvelope } from '@tradewatch/domain'
import type { Selectable } from 'kysely'

/** An events row as read from Postgres (`position` is int8, so a string). */
export type EventRow = Selectable<EventsTable>

/**
 * Maps an events row to the wire envelope (`envelopeSchema` in @tradewatch/domain): the row's
 * columns plus the producer's metadata, with `position` as a number.
 */
export function toEnvelope(row: EventRow): RawEnvelope {
  const metadata = row.metadata as EventMetadata
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    aggregateType: row.aggregate_type as AggregateType,
    aggregateId: row.aggregate_id,
    aggregateVersion: row.version,
    position: Number(row.position),
    occurredAt: metadata.occurredAt,
    effectiveAt: metadata.effectiveAt ?? null,
    recordedAt: new Date(row.recorded_at).toISOString(),
    source: metadata.source,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId ?? null,
    data: row.data,
  }
}
