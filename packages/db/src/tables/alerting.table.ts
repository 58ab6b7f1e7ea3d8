import type { ColumnType, Generated } from 'kysely'

type Json = ColumnType<unknown, string, string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>

/** The alert service's folded state per aggregate, moved with its checkpoint. */
export interface AlertStatesTable {
  aggregate_type: string
  aggregate_id: string
  state: Json
  last_position: ColumnType<string, string | bigint | number, string | bigint | number>
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead'

/** One webhook delivery per alert: its outbox row, then its attempts' outcome. */
export interface DeliveriesTable {
  delivery_id: string
  subscription_id: string
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>
  attempts: Generated<number>
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>
  last_attempt_at: NullableTimestamp
  last_status_code: number | null
  /** Why the last attempt failed, or why the delivery was dead-lettered. */
  last_error: string | null
  created_at: Generated<Date>
  delivered_at: NullableTimestamp
  dead_at: NullableTimestamp
}
