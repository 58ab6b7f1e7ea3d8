import type { AgreementStatusHistoryTable, AgreementsTable } from './tables/agreements.table.js'
import type { AlertStatesTable, DeliveriesTable } from './tables/alerting.table.js'
import type { EventArchiveTable } from './tables/event-archive.table.js'
import type { ConsumerCheckpointsTable, DeadLettersTable, EventsTable } from './tables/events.table.js'
import type { MeasureHistoryTable } from './tables/measure-history.table.js'
import type { AlertsTable, MeasuresTable, SubscriptionsTable } from './tables/read-models.table.js'
import type { RelationAgreementsTable, RelationMeasuresTable, RelationMonthlyTable, RelationStatesTable } from './tables/relations.table.js'
import type { TariffLineInputsTable, TariffLinesTable } from './tables/tariff-lines.table.js'
import type { TimelineSubjectsTable, TimelineTable } from './tables/timeline.table.js'

export type { AgreementStatusHistoryTable, AgreementsTable } from './tables/agreements.table.js'
export type { AlertStatesTable, DeliveriesTable, DeliveryStatus } from './tables/alerting.table.js'
export type { EventArchiveTable } from './tables/event-archive.table.js'
export type { ConsumerCheckpointsTable, DeadLettersTable, EventsTable } from './tables/events.table.js'
export type { MeasureHistoryTable } from './tables/measure-history.table.js'
export type { AlertsTable, MeasuresTable, SubscriptionsTable } from './tables/read-models.table.js'
export type { RelationAgreementsTable, RelationMeasuresTable, RelationMonthlyTable, RelationStatesTable } from './tables/relations.table.js'
export type { TariffLineInputsTable, TariffLinesTable } from './tables/tariff-lines.table.js'
export type { TimelineSubjectsTable, TimelineTable } from './tables/timeline.table.js'

/** Every table, as kysely sees it. Migrations don't import this: they are frozen in time. */
export interface Database {
  events: EventsTable
  consumer_checkpoints: ConsumerCheckpointsTable
  dead_letters: DeadLettersTable
  measures: MeasuresTable
  subscriptions: SubscriptionsTable
  alerts: AlertsTable
  alert_states: AlertStatesTable
  deliveries: DeliveriesTable
  measure_history: MeasureHistoryTable
  tariff_line_inputs: TariffLineInputsTable
  tariff_lines: TariffLinesTable
  agreements: AgreementsTable
  agreement_status_history: AgreementStatusHistoryTable
  timeline_subjects: TimelineSubjectsTable
  timeline: TimelineTable
  event_archive: EventArchiveTable
  relation_states: RelationStatesTable
  relation_measures: RelationMeasuresTable
  relation_agreements: RelationAgreementsTable
  relation_monthly: RelationMonthlyTable
}
