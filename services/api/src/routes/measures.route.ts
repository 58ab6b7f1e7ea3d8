import type { Db, MeasuresTable } from '@tradewatch/db'
import { aggregateIdSchema } from '@tradewatch/domain'
import { HttpProblem, problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import type { Selectable } from 'kysely'

/** The HTTP shape of a measure: decoupled from the table, so a column change is not an API change. */
export function measureDto(row: Selectable<MeasuresTable>) {
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

export async function measuresRoute(app: FastifyInstance, { db }: { db: Db }): Promise<void> {
  app.get<{ Params: { id: string } }>('/v1/measures/:id', { config: { scope: 'read' } }, async (request) => {
    const id = aggregateIdSchema.safeParse(request.params.id)
    if (!id.success) {
      throw new HttpProblem(
        problem(400, 'INVALID_REQUEST', 'Invalid request', { errors: [{ path: '/id', message: id.error.issues[0]?.message ?? 'invalid' }] }),
      )
    }
    const row = await db.selectFrom('measures').selectAll().where('measure_id', '=', id.data).executeTakeFirst()
    if (!row) throw new HttpProblem(problem(404, 'MEASURE_NOT_FOUND', 'Measure not found', { detail: `no measure with id ${id.data}` }))
    return measureDto(row)
  })
}
