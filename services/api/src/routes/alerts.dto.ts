import type { AlertsTable } from '@tradewatch/db'
import type { Selectable } from 'kysely'
import { z } from 'zod'
import { cursorOf } from './alerts-cursor.js'

/** An alert as answered and streamed (OpenAPI). */
export const alertSchema = z.object({
  id: z.string(),
  cursor: z.string().describe('<position>.<alert id>: the SSE id, and a cursor to page or stream from'),
  subscriptionId: z.string(),
  eventId: z.string(),
  position: z.number().int(),
  title: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().nullable().describe('when it was published to NATS'),
  content: z.unknown().describe("the alert service's content: title, summary, before/after, the event and its source"),
})

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
