import type { ColumnType } from 'kysely'

type Json = ColumnType<unknown, string, string>
type Numeric = ColumnType<string | null, string | number | null, string | number | null>
type Position = ColumnType<string, string | bigint | number, string | bigint | number>
type Instant = ColumnType<Date, Date | string, Date | string>
type Day = ColumnType<Date, Date | string, Date | string>

/** One row per measure event, with the measure's state after it (projection `measure-history`). */
export interface MeasureHistoryTable {
  measure_id: string
  version: number
  position: Position
  event_type: string
  status_after: string
  rate_after: ColumnType<unknown, string | null, string | null>
  rate_percent_after: Numeric
  /** As the envelope gives it: a date or an instant with offset. */
  occurred_at: string
  effective_at: string | null
  /** The calendar date the event takes effect (effectiveAt, else occurredAt). */
  effective_on: Day
  recorded_at: Instant
  state_after: Json
}
