import { expect, it } from 'vitest'
import { type TestApiKey, testApiKey } from './api-keys.js'

/** The part of fastify's `inject()` answer the checks read. */
export interface ProbeResponse {
  statusCode: number
  headers: Record<string, unknown>
  json(): unknown
}

export interface ScopeMatrix<S extends string> {
  /** Every route the app serves, as `METHOD path`, with the scope it needs or `open` (health, metrics, docs). */
  routes: Record<string, S | 'open'>
  /** One key per scope, each with that scope alone, all of them admitted by the app. */
  keys: Record<S, TestApiKey>
  /** The routes the app really serves, as `METHOD path`; read once the app is ready. */
  served(): string[]
  /** A request to `route` that its handler refuses (a 400 or 404) once the key is admitted, so it writes nothing. */
  probe(route: string, headers?: Record<string, string>): Promise<ProbeResponse>
  /** What no refused request may change (e.g. the event store's head), read before and after the refusals. */
  unchanged?(): Promise<unknown>
}

/** One fresh key per scope, named after it and holding that scope alone, for a `scopeMatrix`. */
export function scopeKeys<S extends string>(scopes: readonly S[]): Record<S, TestApiKey> {
  return Object.fromEntries(scopes.map((scope) => [scope, testApiKey(scope, [scope])])) as Record<S, TestApiKey>
}

/**
 * Registers the tests every HTTP service owes its API keys: the route table is the app's, open routes answer
 * without a key, every other route refuses a missing, unknown or malformed key with a 401 problem, and each
 * scope reaches exactly its own routes (403 `SCOPE_MISSING` elsewhere). Call in a test file, at its top level or in a describe.
 */
export function scopeMatrix<S extends string>(matrix: ScopeMatrix<S>): void {
  const { routes, keys, probe } = matrix
  const guarded = Object.entries<S | 'open'>(routes).filter((entry): entry is [string, S] => entry[1] !== 'open')
  const scoped = Object.entries<TestApiKey>(keys)
  // Every scope at once, but in no API_KEYS entry: a key the app has never seen.
  const stranger = testApiKey('stranger', Object.keys(keys))
  const [someKey] = Object.values<TestApiKey>(keys)
  if (!someKey) throw new Error('scopeMatrix needs a key per scope')
  /** Runs `refusals` and checks they changed nothing that `unchanged` reads. */
  const changingNothing = async (refusals: () => Promise<void>) => {
    if (!matrix.unchanged) return refusals()
    const before = await matrix.unchanged()
    await refusals()
    expect(await matrix.unchanged()).toEqual(before)
  }

  it('knows the scope of every route the app serves, and serves every route it knows', () => {
    const served = matrix.served()
    expect(served.filter((route) => !(route in routes))).toEqual([])
    expect(Object.keys(routes).filter((route) => !served.includes(route))).toEqual([])
  })

  it('answers the open routes without a key', async () => {
    for (const [route, scope] of Object.entries(routes)) {
      if (scope === 'open') expect({ route, status: (await probe(route)).statusCode }).toEqual({ route, status: 200 })
    }
  })

  it('refuses a missing key, an unknown key, an unknown Bearer token and a padded known key with a 401 problem on every other route', () =>
    changingNothing(async () => {
      for (const [route] of guarded) {
        for (const headers of [
          {} as Record<string, string>,
          { 'x-api-key': stranger.key },
          { authorization: `Bearer ${stranger.key}` },
          { 'x-api-key': `${someKey.key} ` },
        ]) {
          const response = await probe(route, headers)
          expect({ route, headers, status: response.statusCode, type: response.headers['content-type'] }).toEqual({
            route,
            headers,
            status: 401,
            type: expect.stringContaining('application/problem+json'),
          })
        }
      }
    }))

  it('lets each scope reach only its routes: 403 elsewhere, never 401 or 403 on its own', () =>
    changingNothing(async () => {
      for (const [route, needed] of guarded) {
        for (const [scope, key] of scoped) {
          const response = await probe(route, { 'x-api-key': key.key })
          const outcome = response.statusCode === 403 ? 'refused' : response.statusCode === 401 || response.statusCode >= 500 ? 'broken' : 'admitted'
          expect({ route, scope, outcome }).toEqual({ route, scope, outcome: scope === needed ? 'admitted' : 'refused' })
          if (outcome === 'refused') expect(response.json()).toMatchObject({ status: 403, code: 'SCOPE_MISSING' })
        }
      }
    }))
}
