import { aggregateIdSchema, aggregateTypes } from '@tradewatch/domain'
import type { EventStore } from '@tradewatch/event-store'
import { HttpProblem, invalidRequestProblem, problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'

const paramsSchema = z.strictObject({ aggregateType: z.enum(aggregateTypes), id: aggregateIdSchema })

/** GET /v1/streams/:aggregateType/:id — one aggregate's raw events, in version order, for audit. */
export async function streamsRoute(app: FastifyInstance, { store }: { store: EventStore }): Promise<void> {
  app.get('/v1/streams/:aggregateType/:id', { config: { scope: 'read' } }, async (request) => {
    const params = paramsSchema.safeParse(request.params)
    if (!params.success) throw new HttpProblem(invalidRequestProblem(params.error.issues))
    const { aggregateType, id } = params.data
    const events = await store.readStream({ aggregateType, aggregateId: id })
    if (events.length === 0) throw new HttpProblem(problem(404, 'STREAM_NOT_FOUND', 'Stream not found', { detail: `no events for ${aggregateType} ${id}` }))
    return { aggregateType, aggregateId: id, version: events.length, events }
  })
}
