import { createHash, timingSafeEqual } from 'node:crypto'
import type { ApiKeyEntry, Scope } from '@tradewatch/config'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { HttpProblem, problem } from './problem.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one (health, metrics) are open. */
    scope?: Scope
  }
  interface FastifyRequest {
    /** The name of the API key that authenticated the request. */
    apiKeyName?: string
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key']
  if (typeof header === 'string' && header) return header
  const authorization = request.headers.authorization
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7)
  return undefined
}

/** Finds the entry whose hash matches, comparing in constant time. */
export function findApiKey(keys: readonly ApiKeyEntry[], key: string): ApiKeyEntry | undefined {
  const digest = createHash('sha256').update(key).digest()
  return keys.find((entry) => timingSafeEqual(digest, Buffer.from(entry.sha256, 'hex')))
}

/**
 * API keys with scopes: a route with `config: { scope }` answers 401 without a known key and
 * 403 when the key lacks the scope. Keys arrive as `x-api-key` or `Authorization: Bearer`.
 */
export const apiKeyAuth = fp(
  async (app: FastifyInstance, { keys }: { keys: readonly ApiKeyEntry[] }) => {
    app.addHook('onRequest', async (request) => {
      const scope = request.routeOptions.config.scope
      if (!scope) return
      const key = presentedKey(request)
      if (!key) throw new HttpProblem(problem(401, 'API_KEY_MISSING', 'API key required', { detail: 'send the key in the x-api-key header' }))
      const entry = findApiKey(keys, key)
      if (!entry) throw new HttpProblem(problem(401, 'API_KEY_INVALID', 'API key not recognised'))
      if (!entry.scopes.has(scope)) {
        throw new HttpProblem(problem(403, 'SCOPE_MISSING', 'API key lacks the scope', { detail: `this route needs the ${scope} scope` }))
      }
      request.apiKeyName = entry.name
    })
  },
  { name: 'tradewatch-api-key-auth' },
)
