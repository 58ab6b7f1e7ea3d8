import type { Db } from '@tradewatch/db'
import { isTradeEventType } from '@tradewatch/domain'
import { searchTimeline } from '@tradewatch/queries'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { cursorParam, limitParam, pageOf, toPage } from '../http/pagination.js'
import { dateParam, hsParam, invalidFields, partyParam } from '../http/query-params.js'
import { defineGet } from '../openapi/define-route.js'

const entrySchema = z.object({
  position: z.number().int(),
  eventType: z.string(),
  aggregateId: z.string(),
  occurredOn: z.string(),
  effectiveOn: z.string(),
  title: z.string(),
  summary: z.string().describe('one human sentence'),
  countries: z.array(z.string()),
  hsCodes: z.array(z.string()),
  source: z.object({ kind: z.string(), url: z.string(), title: z.string(), publisher: z.string().nullable(), quote: z.string().nullable() }),
})

export async function timelineRoute(app: FastifyInstance, { db }: { db: Db }): Promise<void> {
  defineGet(
    app,
    {
      url: '/v1/timeline',
      scope: 'read',
      summary: 'Every event with its source, searchable',
      description:
        'Events matching every filter, newest first (by the day they occurred, then position). `q` is full-text, web-search ' +
        'syntax with English stemming: `EV surtax`, `canola -oil`, `"preliminary arrangement"`.',
      tags: ['timeline'],
      projections: ['timeline'],
      cache: 'revalidate',
      query: {
        q: z.string().trim().min(1, { message: 'must not be empty' }).max(200, { message: 'must be at most 200 characters' }).optional(),
        country: partyParam.optional().describe('a party the event involves'),
        hs: hsParam.optional(),
        type: z.string().refine(isTradeEventType, { message: 'is not an event type of the catalogue (see docs/EVENTS.md)' }).optional(),
        from: dateParam.optional().describe('occurred on or after (YYYY-MM-DD)'),
        to: dateParam.optional().describe('occurred before (YYYY-MM-DD, exclusive)'),
        limit: limitParam(),
        cursor: cursorParam(z.tuple([z.iso.date(), z.number().int().nonnegative()])).optional(),
      },
      responses: { 200: { description: 'One page of events', schema: pageOf(entrySchema) } },
    },
    async ({ query }) => {
      if (query.from && query.to && query.from >= query.to) {
        throw invalidFields([{ path: '/query/to', message: 'must be after from' }])
      }
      const { cursor, limit, ...filters } = query
      const rows = await searchTimeline(db, {
        ...filters,
        order: 'newest',
        after: cursor ? { occurredOn: cursor[0], position: cursor[1] } : undefined,
        limit: limit + 1,
      })
      return toPage(
        rows,
        limit,
        (e) => [e.occurredOn, e.position],
        (e) => e,
      )
    },
  )
}
