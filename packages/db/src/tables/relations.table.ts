import type { ColumnType } from 'kysely'

type Json = ColumnType<unknown, string, string>
type Position = ColumnType<string, string | bigint | number, string | bigint | number>
type Numeric = ColumnType<string | null, string | number | null, string | number | null>
type OptionalDay = ColumnType<Date | null, Date | string | null, Date | string | null>

/** Folded state of each measure and agreement (projection `relations`). */
export interface RelationStatesTable {
  aggregate_type: string
  aggregate_id: string
  state: Json
  last_position: Position
}

/** One row per (imposer, partner, measure); partner '*' is erga omnes minus `excluded` (projection `relations`). */
export interface RelationMeasuresTable {
  imposer: string
  partner: string
  measure_id: string
  excluded: string[]
  in_scope: boolean
  kind: string
  direction: string
  status: string
  title: string
  rate_percent: Numeric
  in_force_from: OptionalDay
  ended_on: OptionalDay
  last_position: Position
  last_event_type: string
  last_occurred_at: string
  last_summary: string
}

/** One row per ordered pair of parties per agreement (projection `relations`). */
export interface RelationAgreementsTable {
  party_a: string
  party_b: string
  agreement_id: string
  kind: string
  status: string
  title: string
  last_position: Position
  last_event_type: string
  last_occurred_at: string
  last_summary: string
}

/** Restrictive and liberalising measure events per ordered pair and month (projection `relations`). */
export interface RelationMonthlyTable {
  imposer: string
  partner: string
  excluded: string[]
  month: ColumnType<Date, Date | string, Date | string>
  restrictive_count: number
  liberalising_count: number
}
