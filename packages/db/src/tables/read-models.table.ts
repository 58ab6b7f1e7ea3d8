import type { ColumnType, Generated } from 'kysely'

type Json = ColumnType<unknown, string, string>

/** Current state of each measure (projection `measures`). */
export interface MeasuresTable {
  measure_id: string
  imposer: string
  targets: string[]
  kind: string
  status: string
  title: string
  ad_valorem_rate: ColumnType<string | null, string | number | null, string | number | null>
  direction: string
  state: Json
  version: number
  last_position: ColumnType<string, string | bigint | number, string | bigint | number>
  announced_at: ColumnType<Date | null, Date | string | null, Date | string | null>
  updated_at: ColumnType<Date, Date | string, Date | string>
}

export interface SubscriptionsTable {
  subscription_id: string
  name: string
  filter: Json
  channel: Json
  active: Generated<boolean>
  created_at: Generated<Date>
  /** The API key name that created it; null for rows made outside the API (only admins see those). */
  owner: string | null
  updated_at: Generated<Date>
  /** Soft delete: the row stays so alert history can still name it. */
  deleted_at: ColumnType<Date | null, Date | string | null, Date | string | null>
  /** Bumped on every change: the ETag, and the If-Match check. */
  version: Generated<number>
}

/** Alerts and their outbox state: created with the alert checkpoint, published after commit. */
export interface AlertsTable {
  alert_id: string
  subscription_id: string
  event_id: string
  position: ColumnType<string, string | bigint | number, never>
  title: string
  payload: Json
  created_at: Generated<Date>
  published_at: ColumnType<Date | null, Date | string | null, Date | string | null>
}
