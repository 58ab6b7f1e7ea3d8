import type { Db } from '@tradewatch/db'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { dateParam, hsParam, instantParam, partyParam, todayUtc } from '../http/query-params.js'
import { defineGet } from '../openapi/define-route.js'
import { appliedMeasureSchema, combinedDutySchema, tariffAnswer } from './tariff-answer.js'
import { createTariffQuestions } from './tariff-questions.js'

const answerSchema = z.object({
  query: z.object({ imposer: z.string(), origin: z.string(), hs: z.string(), asOf: z.string(), knownAt: z.string().nullable() }),
  measures: z.array(appliedMeasureSchema),
  combinedAdditionalDuty: combinedDutySchema,
})

export async function tariffsRoute(app: FastifyInstance, { db }: { db: Db }): Promise<void> {
  const tariffsAt = createTariffQuestions(db)
  defineGet(
    app,
    {
      url: '/v1/tariffs',
      scope: 'read',
      summary: 'The additional duties on a product from an origin entering an imposer, on a date, as known at an instant',
      description:
        'Bitemporal: `asOf` is world time (what applied that day), `knownAt` knowledge time (what we had recorded by then). ' +
        'Lines on the code, on a broader code above it and on narrower codes under it all answer. Not paginated: the combined ' +
        'duty needs every measure, and they are few for one imposer, origin and product.',
      tags: ['tariffs'],
      projections: ['tariff-lines', 'measures'],
      cache: 'revalidate',
      query: {
        imposer: partyParam.describe('who imposes: ISO 3166-1 alpha-2, or EU'),
        origin: partyParam.describe('where the goods come from'),
        hs: hsParam,
        asOf: dateParam.optional().describe('world date, YYYY-MM-DD; default today (UTC)'),
        knownAt: instantParam.optional().describe('knowledge time, an ISO instant; default now'),
      },
      responses: { 200: { description: 'The measures that applied and their combined ad valorem duty', schema: answerSchema } },
    },
    async ({ query }) => {
      const asOf = query.asOf ?? todayUtc()
      const applied = await tariffsAt({ imposer: query.imposer, origin: query.origin, hs: query.hs, asOf, knownAt: query.knownAt })
      return {
        query: { imposer: query.imposer, origin: query.origin, hs: query.hs, asOf, knownAt: query.knownAt ?? null },
        ...tariffAnswer(query.hs, applied),
      }
    },
  )
}
