import type { Scope } from '@tradewatch/config'
import { parseRequest } from '@tradewatch/service-kit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { invalidFields } from '../http/query-params.js'
import { minPositionParam } from '../http/read-your-writes.plugin.js'
import type { CachePolicy, RouteDoc } from './route-spec.js'

export interface GetRoute<Q extends z.ZodRawShape, P extends z.ZodRawShape> extends Omit<RouteDoc, 'query' | 'params'> {
  url: string
  scope: Scope
  /** Query fields; any other field is a 400 naming it, so a typo never silently widens a question. */
  query?: Q
  params?: P
  projections?: readonly string[]
  cache?: CachePolicy
}

export interface GetContext<Q extends z.ZodRawShape, P extends z.ZodRawShape> {
  query: z.output<z.ZodObject<Q>>
  params: z.output<z.ZodObject<P>>
  request: FastifyRequest
  reply: FastifyReply
}

/**
 * A GET route whose query and path are parsed with zod (400 naming the field) and documented in /openapi.json from
 * the same schemas. A route with `projections` also takes `minPosition` (read-your-writes).
 */
export function defineGet<Q extends z.ZodRawShape = Record<never, never>, P extends z.ZodRawShape = Record<never, never>>(
  app: FastifyInstance,
  route: GetRoute<Q, P>,
  handler: (context: GetContext<Q, P>) => Promise<unknown>,
): void {
  const { url, scope, projections, cache, query = {} as Q, params = {} as P, ...doc } = route
  const querySchema = z.strictObject(projections ? { ...query, minPosition: minPositionParam.optional() } : query)
  const paramsSchema = z.strictObject(params)
  const openapi: RouteDoc = { ...doc, query: querySchema, params: paramsSchema }
  app.get(url, { config: { scope, projections, cache, openapi } }, async (request, reply) => {
    refuseUnknownFields(querySchema, request.query)
    const parsedParams = parseRequest(paramsSchema, request.params, 'params')
    const parsedQuery = parseRequest(querySchema, request.query, 'query') as z.output<z.ZodObject<Q>>
    return handler({ query: parsedQuery, params: parsedParams as z.output<z.ZodObject<P>>, request, reply })
  })
}

/** zod reports unknown keys on the object itself; name each one instead, as every other 400 does. */
function refuseUnknownFields(schema: z.ZodObject, query: unknown) {
  const unknown = Object.keys((query ?? {}) as object).filter((key) => !(key in schema.shape))
  if (unknown.length === 0) return
  throw invalidFields(
    unknown.map((key) => ({ path: `/query/${key}`, message: `is not a field of this route (known: ${Object.keys(schema.shape).join(', ')})` })),
  )
}
