import type { Migration } from 'kysely'
import * as createEvents from './2026-11-29T0500_create_events.js'
import * as createConsumerCheckpoints from './2026-11-29T0510_create_consumer_checkpoints.js'
import * as createMeasures from './2026-11-29T0520_create_measures.js'
import * as createSubscriptionsAlerts from './2026-11-29T0530_create_subscriptions_alerts.js'

/**
 * Every migration by name, in order. Listed here rather than read from the folder so they
 * load the same way from sources (tests), from dist and from a deployed image.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-29T0500_create_events': createEvents,
  '2026-11-29T0510_create_consumer_checkpoints': createConsumerCheckpoints,
  '2026-11-29T0520_create_measures': createMeasures,
  '2026-11-29T0530_create_subscriptions_alerts': createSubscriptionsAlerts,
}
