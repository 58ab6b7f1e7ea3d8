import type { ApiKeyEntry } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import { aggregateIdSchema, partyCodeSchema } from '@tradewatch/domain'
import { HttpProblem, parseRequest, problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { z } from 'zod'
import { pageOf } from '../http/pagination.js'
import { alertDto, alertSchema } from './alerts.dto.js'
import { alertsVisibleTo } from './alerts-access.js'
import { alertCursorSchema, alertsAfter, cursorOf } from './alerts-cursor.js'
import { callerOf } from './subscriptions-access.js'

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant, e.g. 2026-01-16T00:00:00Z' })

export const listAlertsQuery = z.strictObject({
  subscription: aggregateIdSchema.optional(),
  /** Alerts created at or after this instant. */
  from: instant.optional(),
  /** Alerts created before this instant. */
  to: instant.optional(),
  /** Alerts about events that touch this party (either side), as the timeline records them. */
  country: partyCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `nextCursor` of the previous page, or an SSE event id. */
  cursor: alertCursorSchema.optional(),
})

export const alertParams = z.strictObject({ id: z.uuid({ message: 'must be an alert id (a UUID)' }) })

const deliverySchema = z.object({
  channel: z.literal('webhook'),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable().describe('when a pending delivery is tried next'),
  lastAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable().describe('why the last attempt failed, or why it was dead-lettered'),
  deliveredAt: z.string().nullable(),
  deadAt: z.string().nullable(),
})
const alertWithDeliveriesSchema = alertSchema.extend({ deliveries: z.array(deliverySchema) })

/**
 * Alert history, scope `subscribe` (alerts are what a key's subscriptions produced, so the
 * key that can create them reads them). Oldest first in cursor order, the same order the SSE
 * stream sends, so a page's `nextCursor` can also start a stream.
 */
export async function alertsRoute(app: FastifyInstance, { db, apiKeys }: { db: Db; apiKeys: readonly ApiKeyEntry[] }): Promise<void> {
  const list = {
    summary: "Alert history: the alerts of the key's subscriptions, oldest first",
    description:
      'Keys see the alerts of subscriptions they created (deleted ones included); admin keys see all. `nextCursor` pages on; it is also an SSE event id.',
    tags: ['alerts'],
    query: listAlertsQuery,
    responses: { 200: { description: 'one page of alerts', schema: pageOf(alertSchema) } },
    problems: [404],
  }
  app.get('/v1/alerts', { config: { scope: 'subscribe', openapi: list } }, async (request) => {
    const caller = callerOf(request, apiKeys)
    const query = parseRequest(listAlertsQuery, request.query, 'query')
    let select = await alertsVisibleTo(db, db.selectFrom('alerts').selectAll('alerts'), caller, query.subscription)
    if (query.from) select = select.where('alerts.created_at', '>=', new Date(query.from))
    if (query.to) select = select.where('alerts.created_at', '<', new Date(query.to))
    const country = query.country
    if (country) {
      select = select.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('timeline')
            .select('timeline.event_id')
            .whereRef('timeline.event_id', '=', 'alerts.event_id')
            .where(sql<boolean>`${country} = ANY(timeline.countries)`),
        ),
      )
    }
    const rows = await alertsAfter(select, query.cursor)
      .limit(query.limit + 1)
      .execute()
    const page = rows.slice(0, query.limit)
    const last = page.at(-1)
    return { items: page.map(alertDto), nextCursor: rows.length > query.limit && last ? cursorOf(last) : null }
  })

  const one = {
    summary: 'One alert, with the status of its webhook delivery',
    tags: ['alerts'],
    params: alertParams,
    responses: { 200: { description: 'the alert', schema: alertWithDeliveriesSchema } },
    problems: [404],
  }
  app.get('/v1/alerts/:id', { config: { scope: 'subscribe', openapi: one } }, async (request) => {
    const caller = callerOf(request, apiKeys)
    const { id } = parseRequest(alertParams, request.params, 'params')
    const select = await alertsVisibleTo(db, db.selectFrom('alerts').selectAll('alerts'), caller)
    const row = await select.where('alerts.alert_id', '=', id).executeTakeFirst()
    if (!row) throw new HttpProblem(problem(404, 'ALERT_NOT_FOUND', 'Alert not found', { detail: `no alert ${id} for this API key` }))
    const deliveries = await db.selectFrom('deliveries').selectAll().where('delivery_id', '=', id).execute()
    return {
      ...alertDto(row),
      deliveries: deliveries.map((d) => ({
        channel: 'webhook' as const,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
        lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
        lastStatusCode: d.last_status_code,
        lastError: d.last_error,
        deliveredAt: d.delivered_at?.toISOString() ?? null,
        deadAt: d.dead_at?.toISOString() ?? null,
      })),
    }
  })
}
