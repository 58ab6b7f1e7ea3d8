import type { ApiKeyEntry } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import { aggregateIdSchema, partyCodeSchema } from '@tradewatch/domain'
import { HttpProblem, parseRequest, problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { z } from 'zod'
import { alertDto } from './alerts.dto.js'
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

/**
 * Alert history, scope `subscribe` (alerts are what a key's subscriptions produced, so the
 * key that can create them reads them). Oldest first in cursor order, the same order the SSE
 * stream sends, so a page's `nextCursor` can also start a stream.
 */
export async function alertsRoute(app: FastifyInstance, { db, apiKeys }: { db: Db; apiKeys: readonly ApiKeyEntry[] }): Promise<void> {
  app.get('/v1/alerts', { config: { scope: 'subscribe' } }, async (request) => {
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

  app.get('/v1/alerts/:id', { config: { scope: 'subscribe' } }, async (request) => {
    const caller = callerOf(request, apiKeys)
    const { id } = parseRequest(alertParams, request.params, 'params')
    const select = await alertsVisibleTo(db, db.selectFrom('alerts').selectAll('alerts'), caller)
    const row = await select.where('alerts.alert_id', '=', id).executeTakeFirst()
    if (!row) throw new HttpProblem(problem(404, 'ALERT_NOT_FOUND', 'Alert not found', { detail: `no alert ${id} for this API key` }))
    return alertDto(row)
  })
}
