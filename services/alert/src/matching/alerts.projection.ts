import type { AlertsTable, Database, DeliveriesTable } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import { channelSchema, type SubscriptionFilter, subscriptionFilterSchema } from '@tradewatch/subscriptions'
import type { Insertable, Transaction } from 'kysely'
import { alertPayload } from './alert-content.js'
import { alertIdOf } from './alert-id.js'
import { foldChanges } from './alert-states.js'
import { alertTitle } from './alert-title.js'
import { matches } from './subscription-filter.js'

interface ActiveSubscription {
  id: string
  filter: SubscriptionFilter
  webhook: boolean
}

/** Subscriptions as of this transaction. A row the api would refuse today is skipped, never fatal to the batch. */
async function activeSubscriptions(trx: Transaction<Database>): Promise<ActiveSubscription[]> {
  const rows = await trx.selectFrom('subscriptions').select(['subscription_id', 'filter', 'channel']).where('active', '=', true).execute()
  return rows.flatMap((row) => {
    const filter = subscriptionFilterSchema.safeParse(row.filter)
    const channel = channelSchema.safeParse(row.channel)
    if (!filter.success || !channel.success) return []
    return [{ id: row.subscription_id, filter: filter.data, webhook: channel.data.type === 'webhook' }]
  })
}

export interface AlertsProjection extends Projection {
  /** Alerts the last `apply` inserted, with the position it ended at: counted once that batch committed. */
  readonly lastBatch: { to: number; created: number }
}

/**
 * Judges each event against the subscriptions with the state just before and after it (alert_states),
 * and inserts the alerts and their webhook deliveries in the transaction that moves the alert checkpoint:
 * the outbox the NATS publisher and the webhook workers drain. Alert ids are derived from (subscription,
 * event), so nothing here can make an alert twice.
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
      const changes = await foldChanges(trx, events)
      const subscriptions = await activeSubscriptions(trx)
      const alerts: Insertable<AlertsTable>[] = []
      const deliveries: Insertable<DeliveriesTable>[] = []
      for (const change of changes) {
        for (const subscription of subscriptions) {
          if (!matches(subscription.filter, change)) continue
          const alertId = alertIdOf(subscription.id, change.event.id)
          const title = alertTitle(change)
          alerts.push({
            alert_id: alertId,
            subscription_id: subscription.id,
            event_id: change.event.id,
            position: change.event.position,
            title,
            payload: JSON.stringify(alertPayload(alertId, subscription.id, title, change)),
          })
          if (subscription.webhook) deliveries.push({ delivery_id: alertId, subscription_id: subscription.id })
        }
      }
      // Chunks stay under Postgres's 65,535 bind parameters however many subscriptions match.
      for (let i = 0; i < alerts.length; i += 5_000) {
        const inserted = await trx
          .insertInto('alerts')
          .values(alerts.slice(i, i + 5_000))
          .onConflict((oc) => oc.column('alert_id').doNothing())
          .returning('alert_id')
          .execute()
        projection.lastBatch.created += inserted.length
      }
      for (let i = 0; i < deliveries.length; i += 10_000) {
        await trx
          .insertInto('deliveries')
          .values(deliveries.slice(i, i + 10_000))
          .onConflict((oc) => oc.column('delivery_id').doNothing())
          .execute()
      }
    },
  }
  return projection
}
