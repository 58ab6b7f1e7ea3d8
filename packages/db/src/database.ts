import type { ConsumerCheckpointsTable, DeadLettersTable, EventsTable } from './tables/events.table.js'
import type { AlertsTable, MeasuresTable, SubscriptionsTable } from './tables/read-models.table.js'

export type { ConsumerCheckpointsTable, DeadLettersTable, EventsTable } from './tables/events.table.js'
export type { AlertsTable, MeasuresTable, SubscriptionsTable } from './tables/read-models.table.js'

/** Every table, as kysely sees it. Migrations don't import this: they are frozen in time. */
export interface Database {
  events: EventsTable
  consumer_checkpoints: ConsumerCheckpointsTable
  dead_letters: DeadLettersTable
  measures: MeasuresTable
  subscriptions: SubscriptionsTable
  alerts: AlertsTable
}
