import type { ColumnType } from 'kysely'

type Json = ColumnType<unknown, string, string>
type Position = ColumnType<string, string | bigint | number, string | bigint | number>
type Day = ColumnType<Date, Date | string, Date | string>
type OptionalDay = ColumnType<Date | null, Date | string | null, Date | string | null>

/** Current state of each agreement (projection `agreements`). */
export interface AgreementsTable {
  agreement_id: string
  kind: string
  title: string
  parties: string[]
  status: string
  launched_on: Day
  signed_on: OptionalDay
  in_force_on: OptionalDay
  ended_on: OptionalDay
  state: Json
  version: number
  last_position: Position
  updated_at: ColumnType<Date, Date | string, Date | string>
}

/** Every status an agreement went through, one row per event that moved it (projection `agreements`). */
export interface AgreementStatusHistoryTable {
  agreement_id: string
  version: number
  position: Position
  event_type: string
  status_before: string | null
  status_after: string
  occurred_at: string
  effective_on: Day
  recorded_at: ColumnType<Date, Date | string, Date | string>
}
