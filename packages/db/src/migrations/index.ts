import type { Migration } from 'kysely'
import * as createEvents from './2026-11-29T0500_create_events.js'
import * as createConsumerCheckpoints from './2026-11-29T0510_create_consumer_checkpoints.js'
import * as createMeasures from './2026-11-29T0520_create_measures.js'
import * as createSubscriptionsAlerts from './2026-11-29T0530_create_subscriptions_alerts.js'
import * as createMeasureHistory from './2026-11-29T0600_create_measure_history.js'
import * as createTariffLines from './2026-11-29T0610_create_tariff_lines.js'
import * as createAgreements from './2026-11-29T0620_create_agreements.js'
import * as createTimeline from './2026-11-29T0630_create_timeline.js'
import * as createEventArchive from './2026-11-29T0640_create_event_archive.js'
import * as createRelations from './2026-11-29T0700_create_relations.js'
import * as tariffLineInputsPerEvent from './2026-11-29T0910_tariff_line_inputs_per_event.js'
import * as createAlertStates from './2026-11-29T0930_create_alert_states.js'
import * as createDeliveries from './2026-11-29T0931_create_deliveries.js'
import * as addSubscriptionOwnership from './2026-11-29T0940_add_subscription_ownership.js'
import * as timelineSearchPerText from './2026-11-29T1900_timeline_search_per_text.js'

/**
 * Every migration by name, in order. Listed here rather than read from the folder so they
 * load the same way from sources (tests), from dist and from a deployed image.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-29T0500_create_events': createEvents,
  '2026-11-29T0510_create_consumer_checkpoints': createConsumerCheckpoints,
  '2026-11-29T0520_create_measures': createMeasures,
  '2026-11-29T0530_create_subscriptions_alerts': createSubscriptionsAlerts,
  '2026-11-29T0600_create_measure_history': createMeasureHistory,
  '2026-11-29T0610_create_tariff_lines': createTariffLines,
  '2026-11-29T0620_create_agreements': createAgreements,
  '2026-11-29T0630_create_timeline': createTimeline,
  '2026-11-29T0640_create_event_archive': createEventArchive,
  '2026-11-29T0700_create_relations': createRelations,
  '2026-11-29T0910_tariff_line_inputs_per_event': tariffLineInputsPerEvent,
  '2026-11-29T0930_create_alert_states': createAlertStates,
  '2026-11-29T0931_create_deliveries': createDeliveries,
  '2026-11-29T0940_add_subscription_ownership': addSubscriptionOwnership,
  '2026-11-29T1900_timeline_search_per_text': timelineSearchPerText,
}
