import type { EventStore } from '@tradewatch/event-store'
import { HttpProblem, type Problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { type EventInput, eventInputSchema } from '../recording/event-input.js'
import { type RecordOutcome, recordEvent } from '../recording/record-event.js'
import { invalidRequest, problemFor } from './errors.js'

export interface EventsRouteOptions {
  store: EventStore
  maxBatchInputs: number
}

type InputResult = RecordOutcome | { status: 'rejected'; index: number; problem: Problem }

/**
 * POST /v1/events: one event input (answered with its outcome) or an array of them
 * (answered with one result per input). Every input is validated before anything is written.
 */
export async function eventsRoute(app: FastifyInstance, { store, maxBatchInputs }: EventsRouteOptions): Promise<void> {
  const batchSchema = z.array(eventInputSchema).min(1).max(maxBatchInputs)

  app.post('/v1/events', async (request, reply) => {
    const batch = Array.isArray(request.body)
    const parsed = batch ? batchSchema.safeParse(request.body) : eventInputSchema.safeParse(request.body)
    if (!parsed.success) throw invalidRequest(parsed.error.issues)
    const inputs = (batch ? parsed.data : [parsed.data]) as EventInput[]

    const results: InputResult[] = []
    for (const [index, input] of inputs.entries()) {
      try {
        results.push(await recordEvent(store, input))
      } catch (err) {
        const mapped = problemFor(err)
        if (!mapped) throw err
        if (!batch || mapped.status === 503) throw new HttpProblem(mapped)
        results.push({ status: 'rejected', index, problem: mapped })
      }
    }
    const appended = results.some((r) => r.status === 'appended')
    if (!batch) return reply.code(appended ? 201 : 200).send(results[0])
    const rejected = results.filter((r) => r.status === 'rejected').length
    return reply.code(rejected ? 207 : appended ? 201 : 200).send({ results, rejected })
  })
}
