import type { AlertsTable, Database } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import type { Insertable, Transaction } from 'kysely'
import { alertIdOf } from './alert-id.js'
import { alertTitle } from './alert-title.js'
import { matches, subscriptionFilterSchema } from './subscription-filter.js'

/**
 * Turns events into alerts for the subscriptions that match them. Alerts are inserted in the
 * transaction that moves the alert checkpoint: the outbox the publisher drains.
 */
export const alertsProjection: Projection = {
  name: 'alerts',
  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
    if (events.length === 0) return
    // Read in the transaction, so a subscription created before an event's batch sees it.
    const subscriptions = (await trx.selectFrom('subscriptions').select(['subscription_id', 'filter']).where('active', '=', true).execute()).map((s) => ({
      id: s.subscription_id,
      filter: subscriptionFilterSchema.parse(s.filter),
    }))
    const rows: Insertable<AlertsTable>[] = []
    for (const event of events) {
      for (const subscription of subscriptions) {
        if (!matches(subscription.filter, event)) continue
        const title = alertTitle(event)
        rows.push({
          alert_id: alertIdOf(subscription.id, event.id),
          subscription_id: subscription.id,
          event_id: event.id,
          position: event.position,
          title,
          payload: JSON.stringify({
            alertId: alertIdOf(subscription.id, event.id),
            subscriptionId: subscription.id,
            title,
            event,
            source: event.source,
          }),
        })
      }
    }
    if (rows.length === 0) return
    await trx
      .insertInto('alerts')
      .values(rows)
      .onConflict((oc) => oc.column('alert_id').doNothing())
      .execute()
  },
}
