import { setTimeout as sleep } from 'node:timers/promises'
import type { Db } from '@tradewatch/db'
import { HttpProblem, parseRequest, problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { z } from 'zod'

/** A global position, as ingest returns it for each event it records. */
export const minPositionParam = z.coerce
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(0, { message: 'must be 0 or more' })
  .max(Number.MAX_SAFE_INTEGER)
  .describe('answer only once the read models have applied the event at this global position (read-your-writes)')

const fromQuery = z.object({ minPosition: minPositionParam })
const fromHeader = z.object({ 'x-min-position': minPositionParam })

export interface ReadYourWritesOptions {
  db: Db
  /** How long a request may wait for the projections; past it the answer is 503 with Retry-After. */
  waitMs: number
  pollMs?: number
}

/** The lowest checkpoint of `projections`; 0 while one of them has none yet. */
export async function lowestCheckpoint(db: Db, projections: readonly string[]): Promise<number> {
  const rows = await db.selectFrom('consumer_checkpoints').select('position').where('name', 'in', projections).execute()
  if (rows.length < new Set(projections).size) return 0
  return Math.min(...rows.map((r) => Number(r.position)))
}

/**
 * Read-your-writes: on a route with `config.projections`, a `minPosition` query field (or `x-min-position` header)
 * holds the answer until every one of those projections has committed that position, for at most `waitMs`.
 */
export const readYourWrites = fp(
  async (app: FastifyInstance, { db, waitMs, pollMs = 20 }: ReadYourWritesOptions) => {
    app.addHook('preHandler', async (request, reply) => {
      const projections = request.routeOptions.config.projections
      if (!projections?.length) return
      const query = (request.query ?? {}) as Record<string, unknown>
      let minPosition: number
      if (query.minPosition !== undefined) minPosition = parseRequest(fromQuery, { minPosition: query.minPosition }, 'query').minPosition
      else if (request.headers['x-min-position'] !== undefined) {
        minPosition = parseRequest(fromHeader, { 'x-min-position': request.headers['x-min-position'] }, 'headers')['x-min-position']
      } else return
      const deadline = Date.now() + waitMs
      for (;;) {
        const reached = await lowestCheckpoint(db, projections)
        if (reached >= minPosition) return
        if (Date.now() >= deadline) {
          reply.header('retry-after', '1')
          throw new HttpProblem(
            problem(503, 'PROJECTION_BEHIND', 'Read models not there yet', {
              detail: `waited ${waitMs} ms for position ${minPosition}; the read models are at ${reached}`,
              position: reached,
            }),
          )
        }
        await sleep(pollMs)
      }
    })
  },
  { name: 'tradewatch-read-your-writes' },
)
