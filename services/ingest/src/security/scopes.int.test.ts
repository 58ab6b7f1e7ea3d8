import { type Scope, scopes } from '@tradewatch/config'
import type { EventStore } from '@tradewatch/event-store'
import { scopeKeys, scopeMatrix, useTestEnvironment } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe } from 'vitest'
import { securityTestApp } from './test-app.js'

// Every route of ingest with the scope it needs, or `open`; a route the app serves that is not here fails the first test.
const routes: Record<string, Scope | 'open'> = {
  'GET /healthz': 'open',
  'GET /readyz': 'open',
  'GET /metrics': 'open',
  'POST /v1/events': 'ingest',
  'GET /v1/streams/:aggregateType/:id': 'read',
}

// One key per scope, each alone; `admin` opens no ingest route.
const keys = scopeKeys(scopes)

const env = useTestEnvironment()
let app: FastifyInstance
let store: EventStore

beforeAll(async () => {
  ;({ app, store } = await securityTestApp(
    env.db,
    Object.values(keys).map((k) => k.entry),
  ))
  await app.ready()
})
afterAll(async () => {
  await app?.close()
  await store?.close()
})

/** Method and path of every route, from fastify's own route tree (HEAD is the automatic twin of each GET). */
function servedRoutes(): string[] {
  const tree = app.printRoutes({ commonPrefix: false })
  const parents: string[] = []
  return tree.split('\n').flatMap((line) => {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line)
    if (!match) return []
    const [, indent = '', segment = '', methods] = match
    const depth = indent.length / 4
    parents.length = depth
    const path = parents.join('') + segment
    parents.push(segment)
    return (methods ?? '')
      .split(', ')
      .filter((method) => method && method !== 'HEAD')
      .map((method) => `${method} ${path}`)
  })
}

/** A request each route refuses in its handler (an empty batch, an unknown stream), so an admitted key writes nothing. */
function probe(route: string, headers: Record<string, string> = {}) {
  const [method, path] = route.split(' ') as [string, string]
  const url = path.replace(':aggregateType', 'measure').replace(':id', 'no-such-measure')
  return app.inject({ method: method as 'GET', url, headers, ...(method === 'POST' && { payload: [] }) })
}

describe('api keys and scopes on every ingest route', () => {
  scopeMatrix({ routes, keys, served: servedRoutes, probe, unchanged: () => store.head() })
})
