import type { ColumnType, Generated } from 'kysely'

type Position = ColumnType<string, string | bigint | number, string | bigint | number>
type Day = ColumnType<Date, Date | string, Date | string>

/** What the timeline remembers of each aggregate, to name the subject of its later events (projection `timeline`). */
export interface TimelineSubjectsTable {
  aggregate_id: string
  aggregate_type: string
  title: string
  countries: string[]
  hs_codes: string[]
  product_text: string | null
}

/** Every event with its provenance, searchable (projection `timeline`). */
export interface TimelineTable {
  position: Position
  event_id: string
  event_type: string
  aggregate_type: string
  aggregate_id: string
  aggregate_version: number
  occurred_at: string
  occurred_on: Day
  effective_on: Day
  recorded_at: ColumnType<Date, Date | string, Date | string>
  title: string
  summary: string
  product_text: string | null
  countries: string[]
  hs_codes: string[]
  hs_prefixes: string[]
  source_kind: string
  source_url: string
  source_title: string
  source_publisher: string | null
  source_quote: string | null
  search: Generated<string>
}
