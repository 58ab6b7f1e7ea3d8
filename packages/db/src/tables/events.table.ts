import type { ColumnType, Generated } from 'kysely'

/** The event store: append-only, one row per event, position = commit order (see docs/ARCHITECTURE.md). */
export interface EventsTable {
  position: ColumnType<string, string | bigint | number, never>
  event_id: string
  stream_id: string
  aggregate_type: string
  aggregate_id: string
  version: number
  type: string
  schema_version: number
  data: ColumnType<unknown, string, never>
  metadata: ColumnType<unknown, string, never>
  idempotency_key: string | null
  recorded_at: ColumnType<Date, Date | string, never>
}

export interface ConsumerCheckpointsTable {
  name: string
  position: ColumnType<string, string | bigint | number, string | bigint | number>
  updated_at: Generated<Date>
}

export interface DeadLettersTable {
  id: Generated<string>
  consumer: string
  position: ColumnType<string, string | bigint | number, never>
  event_id: string | null
  event_type: string | null
  reason: string
  attempts: number
  payload: ColumnType<unknown, string, never>
  created_at: Generated<Date>
}
