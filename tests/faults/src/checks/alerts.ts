import type { Db } from '@tradewatch/db'
import type { StoredEvent, WatchedSubscription } from '../harness/stack.js'
import type { WebhookReceiver } from '../harness/webhook-receiver.js'

/**
 * Every expected alert reached the receiver exactly once by idempotency key, and no other did. The
 * expectation comes from the stored events and each subscription's own rule, not from the alert
 * service's tables. Problems, or `[]`; `expected` counts the alerts.
 */
export async function alertsReachedOnce(
  db: Db,
  receiver: WebhookReceiver,
  subscriptions: readonly WatchedSubscription[],
): Promise<{ expected: number; problems: string[] }> {
  const rows = await db.selectFrom('events').select(['position', 'event_id', 'aggregate_type', 'aggregate_id', 'type', 'data']).orderBy('position').execute()
  const events: StoredEvent[] = rows.map((r) => ({
    position: Number(r.position),
    eventId: r.event_id,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    type: r.type,
    data: r.data as Record<string, unknown>,
  }))
  const imposers = new Map(events.filter((e) => e.type === 'MeasureAnnounced').map((e) => [e.aggregateId, e.data.imposer as string]))
  const expected = new Set<string>()
  for (const s of subscriptions) for (const e of events) if (s.expects(e, (id) => imposers.get(id))) expected.add(`${s.id}/${e.eventId}`)

  const problems: string[] = []
  const received = new Map<string, number>()
  for (const alert of receiver.held.values()) {
    const pair = `${alert.subscriptionId}/${alert.eventId}`
    received.set(pair, (received.get(pair) ?? 0) + 1)
  }
  for (const pair of expected) {
    const n = received.get(pair) ?? 0
    if (n !== 1) problems.push(`alert ${pair} reached the receiver under ${n} idempotency keys`)
  }
  for (const pair of received.keys()) if (!expected.has(pair)) problems.push(`alert ${pair} was not expected`)
  if (receiver.rejected > 0) problems.push(`${receiver.rejected} webhooks failed their signature check`)
  const dead = await db.selectFrom('deliveries').select('delivery_id').where('status', '=', 'dead').execute()
  if (dead.length > 0) problems.push(`${dead.length} deliveries dead-lettered`)
  return { expected: expected.size, problems: problems.slice(0, 20) }
}
