import type { Scope } from '@tradewatch/config'
import type { EventStore } from '@tradewatch/event-store'
import { testApiKey, useTestEnvironment } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
const keys = {
  read: testApiKey('reader', ['read']),
  subscribe: testApiKey('subscriber', ['subscribe']),
  ingest: testApiKey('feeder', ['ingest']),
  admin: testApiKey('admin', ['admin']),
} satisfies Record<Scope, unknown>
const unknownKey = testApiKey('stranger', ['read', 'subscribe', 'ingest', 'admin'])

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
  it('knows the scope of every route the app serves, and serves every route it knows', () => {
    const served = servedRoutes()
    expect(served.filter((route) => !(route in routes))).toEqual([])
    expect(Object.keys(routes).filter((route) => !served.includes(route))).toEqual([])
  })

  it('answers the health routes without a key', async () => {
    for (const [route, scope] of Object.entries(routes)) {
      if (scope === 'open') expect({ route, status: (await probe(route)).statusCode }).toEqual({ route, status: 200 })
    }
  })

  it('refuses a missing key, an unknown key and an unknown Bearer token with a 401 problem on every other route', async () => {
    const before = await store.head()
    for (const [route, scope] of Object.entries(routes)) {
      if (scope === 'open') continue
      for (const headers of [{} as Record<string, string>, { 'x-api-key': unknownKey.key }, { authorization: `Bearer ${unknownKey.key}` }]) {
        const response = await probe(route, headers)
        expect({ route, headers, status: response.statusCode, type: response.headers['content-type'] }).toEqual({
          route,
          headers,
          status: 401,
          type: expect.stringContaining('application/problem+json'),
        })
      }
    }
    expect(await store.head()).toBe(before)
  })

  it('lets each scope reach only its routes: 403 elsewhere, never 401 or 403 on its own', async () => {
    for (const [route, needed] of Object.entries(routes)) {
      if (needed === 'open') continue
      for (const [scope, key] of Object.entries(keys)) {
        const response = await probe(route, { 'x-api-key': key.key })
        const outcome = response.statusCode === 403 ? 'refused' : response.statusCode === 401 || response.statusCode >= 500 ? 'broken' : 'admitted'
        expect({ route, scope, outcome }).toEqual({ route, scope, outcome: scope === needed ? 'admitted' : 'refused' })
      }
    }
  })
})
