import type { Db, MeasureHistoryTable, MeasuresTable } from '@tradewatch/db'
import { aggregateIdSchema, directions, measureKinds, measureStatuses } from '@tradewatch/domain'
import { HttpProblem, problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { type Selectable, sql } from 'kysely'
import { z } from 'zod'
import { cursorParam, limitParam, pageOf, toPage } from '../http/pagination.js'
import { countryParam, partyParam } from '../http/query-params.js'
import { defineGet } from '../openapi/define-route.js'

const measureSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  status: z.string(),
  imposer: z.string(),
  targets: z.array(z.string()).describe('listed targets, or ["ALL"] for erga omnes (exclusions in state.targets)'),
  direction: z.string(),
  adValoremRate: z.number().nullable(),
  announcedAt: z.string().nullable(),
  version: z.number().int(),
  position: z.number().int().describe('global position of the last event applied'),
  updatedAt: z.string(),
  state: z.unknown().describe('the full domain state'),
})

const historyEntrySchema = z.object({
  version: z.number().int(),
  position: z.number().int(),
  eventType: z.string(),
  statusAfter: z.string(),
  ratePercentAfter: z.number().nullable(),
  rateAfter: z.unknown(),
  occurredAt: z.string(),
  effectiveAt: z.string().nullable(),
  effectiveOn: z.string(),
  recordedAt: z.string(),
})

/** The HTTP shape of a measure: decoupled from the table, so a column change is not an API change. */
export function measureDto(row: Selectable<MeasuresTable>): z.output<typeof measureSchema> {
  return {
    id: row.measure_id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    imposer: row.imposer,
    targets: row.targets,
    direction: row.direction,
    adValoremRate: row.ad_valorem_rate === null ? null : Number(row.ad_valorem_rate),
    announcedAt: row.announced_at?.toISOString() ?? null,
    version: row.version,
    position: Number(row.last_position),
    updatedAt: row.updated_at.toISOString(),
    state: row.state,
  }
}

const historyDto = (row: Selectable<MeasureHistoryTable>): z.output<typeof historyEntrySchema> => ({
  version: row.version,
  position: Number(row.position),
  eventType: row.event_type,
  statusAfter: row.status_after,
  ratePercentAfter: row.rate_percent_after === null ? null : Number(row.rate_percent_after),
  rateAfter: row.rate_after,
  occurredAt: row.occurred_at,
  effectiveAt: row.effective_at,
  effectiveOn: row.effective_on.toISOString().slice(0, 10),
  recordedAt: row.recorded_at.toISOString(),
})

export async function measuresRoute(app: FastifyInstance, { db }: { db: Db }): Promise<void> {
  defineGet(
    app,
    {
      url: '/v1/measures',
      scope: 'read',
      summary: 'Measures, filtered, by id',
      description: 'Current state of each measure matching every filter, in id order, a page at a time.',
      tags: ['measures'],
      projections: ['measures'],
      cache: 'revalidate',
      query: {
        imposer: partyParam.optional(),
        target: countryParam.optional().describe('a party the measure targets, by name or as erga omnes without sparing it'),
        kind: z.enum(measureKinds).optional(),
        status: z.enum(measureStatuses).optional(),
        direction: z.enum(directions).optional(),
        limit: limitParam(),
        cursor: cursorParam(z.tuple([z.string()])).optional(),
      },
      responses: { 200: { description: 'One page of measures', schema: pageOf(measureSchema) } },
    },
    async ({ query }) => {
      let select = db.selectFrom('measures').selectAll()
      if (query.imposer) select = select.where('imposer', '=', query.imposer)
      if (query.target) {
        const target = query.target
        select = select.where(
          sql<boolean>`(targets @> ARRAY[${target}]::text[] OR (targets = '{ALL}' AND NOT coalesce(state->'targets'->'excluded', '[]'::jsonb) ? ${target}))`,
        )
      }
      if (query.kind) select = select.where('kind', '=', query.kind)
      if (query.status) select = select.where('status', '=', query.status)
      if (query.direction) select = select.where('direction', '=', query.direction)
      if (query.cursor) select = select.where('measure_id', '>', query.cursor[0])
      const rows = await select
        .orderBy('measure_id')
        .limit(query.limit + 1)
        .execute()
      return toPage(rows, query.limit, (r) => [r.measure_id], measureDto)
    },
  )

  defineGet(
    app,
    {
      url: '/v1/measures/:id',
      scope: 'read',
      summary: 'One measure: current state and full history',
      description: 'The measure as it stands, and every event that changed it with the state after it, oldest first.',
      tags: ['measures'],
      projections: ['measures', 'measure-history'],
      cache: 'revalidate',
      params: { id: aggregateIdSchema },
      responses: { 200: { description: 'The measure', schema: measureSchema.extend({ history: z.array(historyEntrySchema) }) } },
      problems: [404],
    },
    async ({ params }) => {
      const [row, history] = await Promise.all([
        db.selectFrom('measures').selectAll().where('measure_id', '=', params.id).executeTakeFirst(),
        db.selectFrom('measure_history').selectAll().where('measure_id', '=', params.id).orderBy('version').execute(),
      ])
      if (!row) throw new HttpProblem(problem(404, 'MEASURE_NOT_FOUND', 'Measure not found', { detail: `no measure with id ${params.id}` }))
      return { ...measureDto(row), history: history.map(historyDto) }
    },
  )
}
