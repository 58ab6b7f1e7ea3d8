import type { Database } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import { type Channel, channelSchema, type SubscriptionFilter, subscriptionFilterSchema } from '@tradewatch/subscriptions'
import type { Transaction } from 'kysely'
import type { DeliveryHandOff, HandedDelivery } from '../delivery/webhook-worker.js'
import { type AlertContent, alertContent, alertPayload } from './alert-content.js'
import { alertIdOf } from './alert-id.js'
import { foldChanges } from './alert-states.js'
import { alertTitle } from './alert-title.js'
import { type AlertRow, type DeliveryRow, readBatch, type SubscriptionRow, writeBatch } from './batch-io.js'
import { matches } from './subscription-filter.js'

interface ActiveSubscription {
  id: string
  filter: SubscriptionFilter
  channel: Channel
}

/** A row the api would refuse today is skipped, never fatal to the batch. */
const usable = (rows: readonly SubscriptionRow[]): ActiveSubscription[] =>
  rows.flatMap((row) => {
    const filter = subscriptionFilterSchema.safeParse(row.filter)
    const channel = channelSchema.safeParse(row.channel)
    if (!filter.success || !channel.success) return []
    return [{ id: row.id, filter: filter.data, channel: channel.data }]
  })

export interface AlertsProjection extends Projection {
  /**
   * After a commit at `position`: the alerts the batch committed there created (0 if that was not
   * the last batch applied), whose claimed deliveries now go to the worker, and whether it left
   * deliveries for the worker to claim.
   */
  committed(position: number): { created: number; unclaimed: boolean }
}

/** The batch last applied, until its commit (or the next apply) settles it. */
interface AppliedBatch {
  to: number
  created: number
  unclaimed: boolean
  reserved: number
  claimed: HandedDelivery[]
}

/**
 * Judges each event against the subscriptions with the state just before and after it (alert_states),
 * and writes the alerts and their webhook deliveries in the transaction that moves the alert checkpoint:
 * the outbox the NATS publisher and the webhook workers drain. Alert ids are derived from (subscription,
 * event), so nothing here can make an alert twice. One read and one write per batch: at a steady trickle
 * of events every batch is small, and its round trips are its cost. With a `handOff`, as many deliveries as
 * the worker has free slots are claimed in the batch itself and sent as soon as it commits.
 */
export function createAlertsProjection(options: { handOff?: DeliveryHandOff } = {}): AlertsProjection {
  const { handOff } = options
  let last: AppliedBatch | undefined
  // A batch that did not commit gives its slots back; its claims were rolled back with it.
  const settle = (batch: AppliedBatch | undefined, committed: boolean) => {
    if (batch?.reserved) handOff?.settle(batch.reserved, committed ? batch.claimed : [])
    if (batch === last) last = undefined
  }
  return {
    name: 'alerts',
    // Not rebuildable: its output has left the building (webhooks, NATS).
    tables: [] as readonly string[],
    committed(position) {
      const batch = last?.to === position ? last : undefined
      settle(last, batch !== undefined)
      return { created: batch?.created ?? 0, unclaimed: batch?.unclaimed ?? true }
    },
    async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
      settle(last, false)
      if (events.length === 0) return
      const read = await readBatch(
        trx,
        events.map((e) => e.aggregateId),
      )
      const subscriptions = usable(read.subscriptions)
      const { changes, states } = foldChanges(read.states, events)
      const alerts: AlertRow[] = []
      const deliveries: (DeliveryRow & { payload: unknown; channel: Channel })[] = []
      for (const change of changes) {
        // Titled and described once, whatever the number of subscriptions it matches.
        let content: AlertContent | undefined
        for (const subscription of subscriptions) {
          if (!matches(subscription.filter, change)) continue
          const alertId = alertIdOf(subscription.id, change.event.id)
          content ??= alertContent(alertTitle(change), change)
          const payload = alertPayload(alertId, subscription.id, content)
          alerts.push({
            alert_id: alertId,
            subscription_id: subscription.id,
            event_id: change.event.id,
            position: change.event.position,
            title: content.title,
            payload,
          })
          if (subscription.channel.type === 'webhook')
            deliveries.push({ delivery_id: alertId, subscription_id: subscription.id, claimed: false, payload, channel: subscription.channel })
        }
      }
      const batch: AppliedBatch = { to: events[events.length - 1]?.position ?? 0, created: 0, unclaimed: false, reserved: 0, claimed: [] }
      last = batch
      batch.reserved = handOff?.reserve(deliveries.length) ?? 0
      for (const delivery of deliveries.slice(0, batch.reserved)) delivery.claimed = true
      const written = await writeBatch(
        trx,
        { states, alerts, deliveries: deliveries.map(({ delivery_id, subscription_id, claimed }) => ({ delivery_id, subscription_id, claimed })) },
        handOff?.leaseMs ?? 0,
      )
      const claimed = new Set(written.claimed)
      batch.created = written.created
      batch.unclaimed = deliveries.length > claimed.size
      batch.claimed = deliveries.flatMap((d) =>
        claimed.has(d.delivery_id) ? [{ deliveryId: d.delivery_id, body: JSON.stringify(d.payload), channel: d.channel }] : [],
      )
    },
  }
}
