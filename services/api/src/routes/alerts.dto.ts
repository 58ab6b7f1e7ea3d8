import type { AlertsTable } from '@tradewatch/db'
import type { Selectable } from 'kysely'
import { cursorOf } from './alerts-cursor.js'

/** The HTTP (and SSE) shape of an alert: the columns it is found by, and the alert service's content as written. */
export function alertDto(row: Selectable<AlertsTable>) {
  return {
    id: row.alert_id,
    cursor: cursorOf(row),
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    position: Number(row.position),
    title: row.title,
    createdAt: row.created_at.toISOString(),
    publishedAt: row.published_at?.toISOString() ?? null,
    content: row.payload,
  }
}
