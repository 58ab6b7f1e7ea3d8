import type { AgreementStatusHistoryTable, AgreementsTable, Db } from '@tradewatch/db'
import { aggregateIdSchema, agreementKinds, agreementStatuses } from '@tradewatch/domain'
import { HttpProblem, problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { type Selectable, sql } from 'kysely'
import { z } from 'zod'
import { cursorParam, limitParam, pageOf, toPage } from '../http/pagination.js'
import { partyParam } from '../http/query-params.js'
import { defineGet } from '../openapi/define-route.js'

const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null

const agreementSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  parties: z.array(z.string()),
  status: z.string(),
  launchedOn: z.string(),
  signedOn: z.string().nullable(),
  inForceOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  version: z.number().int(),
  position: z.number().int(),
  updatedAt: z.string(),
  state: z.unknown(),
})

const statusChangeSchema = z.object({
  version: z.number().int(),
  position: z.number().int(),
  eventType: z.string(),
  statusBefore: z.string().nullable(),
  statusAfter: z.string(),
  occurredAt: z.string(),
  effectiveOn: z.string(),
  recordedAt: z.string(),
})

const agreementDto = (row: Selectable<AgreementsTable>): z.output<typeof agreementSchema> => ({
  id: row.agreement_id,
  kind: row.kind,
  title: row.title,
  parties: row.parties,
  status: row.status,
  launchedOn: day(row.launched_on) as string,
  signedOn: day(row.signed_on),
  inForceOn: day(row.in_force_on),
  endedOn: day(row.ended_on),
  version: row.version,
  position: Number(row.last_position),
  updatedAt: row.updated_at.toISOString(),
  state: row.state,
})

const statusChangeDto = (row: Selectable<AgreementStatusHistoryTable>): z.output<typeof statusChangeSchema> => ({
  version: row.version,
  position: Number(row.position),
  eventType: row.event_type,
  statusBefore: row.status_before,
  statusAfter: row.status_after,
  occurredAt: row.occurred_at,
  effectiveOn: day(row.effective_on) as string,
  recordedAt: row.recorded_at.toISOString(),
})

export async function agreementsRoute(app: FastifyInstance, { db }: { db: Db }): Promise<void> {
  defineGet(
    app,
    {
      url: '/v1/agreements',
      scope: 'read',
      summary: 'Agreements and negotiations, filtered, by id',
      tags: ['agreements'],
      projections: ['agreements'],
      cache: 'revalidate',
      query: {
        party: partyParam.optional().describe('a party to the agreement'),
        kind: z.enum(agreementKinds).optional(),
        status: z.enum(agreementStatuses).optional(),
        limit: limitParam(),
        cursor: cursorParam(z.tuple([z.string()])).optional(),
      },
      responses: { 200: { description: 'One page of agreements', schema: pageOf(agreementSchema) } },
    },
    async ({ query }) => {
      let select = db.selectFrom('agreements').selectAll()
      if (query.party) select = select.where(sql<boolean>`parties @> ARRAY[${query.party}]::text[]`)
      if (query.kind) select = select.where('kind', '=', query.kind)
      if (query.status) select = select.where('status', '=', query.status)
      if (query.cursor) select = select.where('agreement_id', '>', query.cursor[0])
      const rows = await select
        .orderBy('agreement_id')
        .limit(query.limit + 1)
        .execute()
      return toPage(rows, query.limit, (r) => [r.agreement_id], agreementDto)
    },
  )

  defineGet(
    app,
    {
      url: '/v1/agreements/:id',
      scope: 'read',
      summary: 'One agreement: current state and status history',
      tags: ['agreements'],
      projections: ['agreements'],
      cache: 'revalidate',
      params: { id: aggregateIdSchema },
      responses: { 200: { description: 'The agreement', schema: agreementSchema.extend({ statusHistory: z.array(statusChangeSchema) }) } },
      problems: [404],
    },
    async ({ params }) => {
      const [row, history] = await Promise.all([
        db.selectFrom('agreements').selectAll().where('agreement_id', '=', params.id).executeTakeFirst(),
        db.selectFrom('agreement_status_history').selectAll().where('agreement_id', '=', params.id).orderBy('version').execute(),
      ])
      if (!row) throw new HttpProblem(problem(404, 'AGREEMENT_NOT_FOUND', 'Agreement not found', { detail: `no agreement with id ${params.id}` }))
      return { ...agreementDto(row), statusHistory: history.map(statusChangeDto) }
    },
  )
}
