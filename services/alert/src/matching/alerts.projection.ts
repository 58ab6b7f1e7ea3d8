import type { Database } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import { channelSchema, type SubscriptionFilter, subscriptionFilterSchema } from '@tradewatch/subscriptions'
import type { Transaction } from 'kysely'
import { type AlertContent, alertContent, alertPayload } from './alert-content.js'
import { alertIdOf } from './alert-id.js'
import { foldChanges } from './alert-states.js'
import { alertTitle } from './alert-title.js'
import { type AlertRow, readBatch, type SubscriptionRow, writeBatch } from './batch-io.js'
import { matches } from './subscription-filter.js'

interface ActiveSubscription {
  id: string
  filter: SubscriptionFilter
  webhook: boolean
}

/** A row the api would refuse today is skipped, never fatal to the batch. */
const usable = (rows: readonly SubscriptionRow[]): ActiveSubscription[] =>
  rows.flatMap((row) => {
    const filter = subscriptionFilterSchema.safeParse(row.filter)
    const channel = channelSchema.safeParse(row.channel)
    if (!filter.success || !channel.success) return []
    return [{ id: row.id, filter: filter.data, webhook: channel.data.type === 'webhook' }]
  })

export interface AlertsProjection extends Projection {
  /** Alerts the last `apply` inserted, with the position it ended at: counted once that batch committed. */
  readonly lastBatch: { to: number; created: number }
}

/**
 * Judges each event against the subscriptions with the state just before and after it (alert_states),
 * and writes the alerts and their webhook deliveries in the transaction that moves the alert checkpoint:
 * the outbox the NATS publisher and the webhook workers drain. Alert ids are derived from (subscription,
 * event), so nothing here can make an alert twice. One read and one write per batch: at a steady trickle
 * of events every batch is small, and its round trips are its cost.
 */
export function createAlertsProjection(): AlertsProjection {
  const projection = {
    name: 'alerts',
    // Not rebuildable: its output has left the building (webhooks, NATS).
    tables: [] as readonly string[],
    lastBatch: { to: 0, created: 0 },
    async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
      projection.lastBatch = { to: events[events.length - 1]?.position ?? 0, created: 0 }
      if (events.length === 0) return
      const read = await readBatch(
        trx,
        events.map((e) => e.aggregateId),
      )
      const subscriptions = usable(read.subscriptions)
      const { changes, states } = foldChanges(read.states, events)
      const alerts: AlertRow[] = []
      const deliveries: { delivery_id: string; subscription_id: string }[] = []
      for (const change of changes) {
        // Titled and described once, whatever the number of subscriptions it matches.
        let content: AlertContent | undefined
        for (const subscription of subscriptions) {
          if (!matches(subscription.filter, change)) continue
          const alertId = alertIdOf(subscription.id, change.event.id)
          content ??= alertContent(alertTitle(change), change)
          alerts.push({
            alert_id: alertId,
            subscription_id: subscription.id,
            event_id: change.event.id,
            position: change.event.position,
            title: content.title,
            payload: alertPayload(alertId, subscription.id, content),
          })
          if (subscription.webhook) deliveries.push({ delivery_id: alertId, subscription_id: subscription.id })
        }
      }
      projection.lastBatch.created = await writeBatch(trx, { states, alerts, deliveries })
    },
  }
  return projection
}
