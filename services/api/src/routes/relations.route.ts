import type { Db } from '@tradewatch/db'
import { relationSummary, relationsOf } from '@tradewatch/queries'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { cursorParam, limitParam, pageOf, toPage } from '../http/pagination.js'
import { dateParam, invalidFields, partyParam } from '../http/query-params.js'
import { defineGet } from '../openapi/define-route.js'

const lastChangeSchema = z.object({ subject: z.string(), position: z.number().int(), eventType: z.string(), occurredAt: z.string(), summary: z.string() })

const directionSchema = z.object({
  imposer: z.string(),
  partner: z.string(),
  active: z.array(
    z.object({
      measureId: z.string(),
      kind: z.string(),
      direction: z.string(),
      title: z.string(),
      ratePercent: z.number().nullable(),
      inForceFrom: z.string(),
    }),
  ),
  averageAdditionalDuty: z.number().nullable().describe('mean ad valorem duty over the active measures that have one'),
  maxAdditionalDuty: z.number().nullable(),
  lastChange: lastChangeSchema.nullable(),
  monthly: z.array(z.object({ month: z.string(), restrictive: z.number().int(), liberalising: z.number().int() })),
})

const summarySchema = z.object({
  directions: z.tuple([directionSchema, directionSchema]).describe('a → b, then b → a'),
  agreements: z.array(z.object({ agreementId: z.string(), kind: z.string(), status: z.string(), title: z.string() })),
  talks: z.array(z.object({ agreementId: z.string(), status: z.string(), title: z.string() })),
})

const pairSchema = z.object({
  imposer: z.string(),
  partner: z.string().describe("a party, or '*' for the country's own erga omnes measures"),
  measures: z.number().int(),
  agreements: z.number().int(),
  lastPosition: z.number().int(),
})

export async function relationsRoute(app: FastifyInstance, { db }: { db: Db }): Promise<void> {
  defineGet(
    app,
    {
      url: '/v1/relations/:a/:b',
      scope: 'read',
      summary: 'Where a pair of parties stands, both ways',
      description:
        'Active measures each way on `asOf` (at their latest known rate), average and highest duty, agreements and talks, last change, monthly counts.',
      tags: ['relations'],
      projections: ['relations'],
      cache: 'revalidate',
      params: { a: partyParam, b: partyParam },
      query: { asOf: dateParam.optional().describe('world date; default today (UTC)') },
      responses: { 200: { description: 'The pair’s summary', schema: summarySchema } },
    },
    async ({ params, query }) => {
      if (params.a === params.b) {
        throw invalidFields([{ path: '/params/b', message: 'must be another party than a' }])
      }
      return relationSummary(db, params.a, params.b, { asOf: query.asOf })
    },
  )

  defineGet(
    app,
    {
      url: '/v1/relations',
      scope: 'read',
      summary: 'Every ordered pair one party is in',
      tags: ['relations'],
      projections: ['relations'],
      cache: 'revalidate',
      query: {
        country: partyParam,
        limit: limitParam(),
        cursor: cursorParam(z.tuple([z.string(), z.string()])).optional(),
      },
      responses: { 200: { description: 'One page of pairs, by imposer then partner', schema: pageOf(pairSchema) } },
    },
    async ({ query }) => {
      const after = query.cursor
      // Bounded by the number of parties (a few hundred pairs at most), so the page is cut in memory.
      const pairs = (await relationsOf(db, query.country)).filter((p) => !after || p.imposer > after[0] || (p.imposer === after[0] && p.partner > after[1]))
      return toPage(
        pairs.slice(0, query.limit + 1),
        query.limit,
        (p) => [p.imposer, p.partner],
        (p) => p,
      )
    },
  )
}
