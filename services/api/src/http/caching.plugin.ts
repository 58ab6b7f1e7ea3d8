import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { CachePolicy } from '../openapi/route-spec.js'

// Answers depend on the key's scope, so read models stay out of shared caches; reference data is the same for all.
const cacheControl: Record<CachePolicy, string> = {
  reference: 'public, max-age=86400',
  revalidate: 'private, no-cache',
}

/** `If-None-Match` holds `etag` (or `*`), in any of its comma-separated entries. */
const matches = (header: string | undefined, etag: string) =>
  header?.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag.replace(/^W\//, '')) ?? false

/**
 * ETag and Cache-Control on routes with `config.cache`: a 200 gets a strong ETag of its body, and a request whose
 * `If-None-Match` matches gets 304 with no body (the query still runs; the bytes do not travel).
 */
export const caching = fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', async (request, reply, payload) => {
      const policy = request.routeOptions.config.cache
      if (!policy || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload
      const etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`
      reply.header('etag', etag)
      reply.header('cache-control', cacheControl[policy])
      if (!matches(request.headers['if-none-match'], etag)) return payload
      reply.code(304)
      reply.removeHeader('content-length')
      return null
    })
  },
  { name: 'tradewatch-caching' },
)
