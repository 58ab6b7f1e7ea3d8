import type { ColumnType } from 'kysely'

/** Every event as the projection received it, for SQL analysis (projection `event-archive`). */
export interface EventArchiveTable {
  position: ColumnType<string, string | bigint | number, string | bigint | number>
  event_id: string
  event_type: string
  aggregate_type: string
  aggregate_id: string
  recorded_at: ColumnType<Date, Date | string, Date | string>
  envelope: ColumnType<unknown, string, string>
}
