import type { z } from 'zod'

/** How long a 200 answer may be kept: reference data for a day, read models only after revalidating (ETag). */
export type CachePolicy = 'reference' | 'revalidate'

/**
 * What /openapi.json says about a route, in the zod schemas the route validates with. Set as `config.openapi` on
 * any route (`defineGet` does it); the OpenAPI plugin picks it up when the route is registered.
 */
export interface RouteDoc {
  summary: string
  description?: string
  tags: string[]
  query?: z.ZodObject
  params?: z.ZodObject
  headers?: z.ZodObject
  body?: z.ZodType
  /** Success answers by status; errors are problem documents (see `problems`). */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>
  /** Problem statuses the route answers besides the common ones (401, 403, 429, 500). */
  problems?: number[]
}

declare module 'fastify' {
  interface FastifyContextConfig {
    openapi?: RouteDoc
    /** Read models (projection names) the answer comes from: `minPosition` waits for their checkpoints. */
    projections?: readonly string[]
    cache?: CachePolicy
  }
}
