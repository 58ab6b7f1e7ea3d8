import { apiKeysEnv, loadConfig, type Scope, scopes } from '@tradewatch/config'
import { scopeKeys, scopeMatrix, useTestEnvironment } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe } from 'vitest'
import { z } from 'zod'
import { testApp } from '../testing/test-app.js'

// Every route of the api with the scope it needs, or `open`. A route the app serves that is not here fails the
// first test, so a new route cannot ship without deciding who may call it.
// /openapi.json and /docs are open: they describe the surface (no data), and a client reads them before it has a key.
const routes: Record<string, Scope | 'open'> = {
  'GET /healthz': 'open',
  'GET /readyz': 'open',
  'GET /metrics': 'open',
  'GET /openapi.json': 'open',
  'GET /docs': 'open',
  'GET /v1/tariffs': 'read',
  'GET /v1/timeline': 'read',
  'GET /v1/measures': 'read',
  'GET /v1/measures/{id}': 'read',
  'GET /v1/agreements': 'read',
  'GET /v1/agreements/{id}': 'read',
  'GET /v1/relations': 'read',
  'GET /v1/relations/{a}/{b}': 'read',
  'GET /v1/countries': 'read',
  'GET /v1/hs': 'read',
  'GET /v1/subscriptions': 'subscribe',
  'POST /v1/subscriptions': 'subscribe',
  'GET /v1/subscriptions/{id}': 'subscribe',
  'PATCH /v1/subscriptions/{id}': 'subscribe',
  'DELETE /v1/subscriptions/{id}': 'subscribe',
  'GET /v1/alerts': 'subscribe',
  'GET /v1/alerts/{id}': 'subscribe',
  'GET /v1/alerts/stream': 'subscribe',
}

// One key per scope, each alone: a scope reaches exactly the routes the table gives it. `admin` widens what a
// subscribe key sees (every owner's subscriptions and alerts) but opens no route by itself.
const keys = scopeKeys(scopes)

const env = useTestEnvironment()
let app: FastifyInstance
let served: string[]

beforeAll(async () => {
  const apiKeys = loadConfig(z.object(apiKeysEnv), {
    API_KEYS: Object.values(keys)
      .map((k) => k.entry)
      .join(','),
  }).API_KEYS
  ;({ app } = await testApp(env.db, { apiKeys }))
  await app.ready()
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> }
  served = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
})
afterAll(async () => {
  await app?.close()
})

/**
 * A request the route refuses in its handler (an unknown query field, an empty body, an id nobody has), so an
 * admitted key gets a 400 or 404 quickly: nothing is written and the alert stream never opens.
 */
function probe(route: string, headers: Record<string, string> = {}) {
  const [method, path] = route.split(' ') as [string, string]
  const url = `${path
    .replace(/\{a\}/, 'CA')
    .replace(/\{b\}/, 'CN')
    .replace(/\{id\}/, '00000000-0000-7000-8000-000000000000')}?probe=1`
  const body = method === 'POST' || method === 'PATCH' ? { payload: {} } : {}
  return app.inject({ method: method as 'GET', url, headers, ...body })
}

describe('api keys and scopes on every api route', () => {
  scopeMatrix({ routes, keys, served: () => served, probe })
})
