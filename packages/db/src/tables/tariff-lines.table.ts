import type { ColumnType, Generated } from 'kysely'

type Json = ColumnType<unknown, string, string>
type Position = ColumnType<string, string | bigint | number, string | bigint | number>
type Day = ColumnType<Date, Date | string, Date | string>

/** Each measure event, the input from which the measure's lines are recomputed (projection `tariff-lines`). */
export interface TariffLineInputsTable {
  measure_id: string
  version: number
  position: Position
  event: Json
}

/**
 * Bitemporal tariff lines (projection `tariff-lines`): valid_from/valid_to are world time, half-open dates;
 * recorded_from/recorded_to knowledge time, half-open instants. Null ends are open.
 */
export interface TariffLinesTable {
  line_id: string
  measure_id: string
  imposer: string
  /** A listed target, or `*` for erga omnes (less `excluded_origins`). */
  origin: string
  excluded_origins: string[]
  /** HS code (2/4/6 digits), a national tariff line (8–10), or '' when the measure names no products. */
  hs_prefix: string
  line_kind: 'hs' | 'national' | 'all'
  nomenclature: string | null
  kind: string
  direction: string
  authority: string | null
  rate: ColumnType<unknown, string | null, string | null>
  rate_percent: ColumnType<string | null, string | number | null, string | number | null>
  exemptions: Json
  quotas: Json
  valid_from: Day
  valid_to: ColumnType<Date | null, Date | string | null, Date | string | null>
  recorded_from: ColumnType<Date, Date | string, Date | string>
  recorded_to: ColumnType<Date | null, Date | string | null, Date | string | null>
  opened_position: Position
  closed_position: ColumnType<string | null, string | bigint | number | null, string | bigint | number | null>
  valid: Generated<string>
  recorded: Generated<string>
}
