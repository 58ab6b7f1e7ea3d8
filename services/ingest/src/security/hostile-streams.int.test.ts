import type { EventStore } from '@tradewatch/event-store'
import { testApiKey, useTestEnvironment } from '@tradewatch/test-support'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { securityTestApp } from './test-app.js'

// GET /v1/streams/:aggregateType/:id under 2,000 hostile path segments and query strings: never a 5xx, never a
// write, every refusal a problem naming the segment. (POST /v1/events has its own 10,000: routes/hostile-input.)
const env = useTestEnvironment()
const auditor = testApiKey('auditor', ['read'])
let app: FastifyInstance
let store: EventStore

beforeAll(async () => {
  ;({ app, store } = await securityTestApp(env.db, [auditor.entry]))
})
afterAll(async () => {
  await app.close()
  await store.close()
})

const hostile = fc
  .oneof(
    fc.constantFrom(
      "'; DROP TABLE events; --",
      "' OR '1'='1",
      '<script>alert(1)</script>',
      '../../etc/passwd',
      '__proto__',
      '\u0000',
      'CA-EV',
      'a b',
      '-x',
      'x'.repeat(100),
    ),
    fc.string({ minLength: 1, maxLength: 30 }).map((s) => `${s}!`),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !/^[a-z0-9][a-z0-9-]*$/.test(s)),
  )
  .map((s) => s.replace(/[\ud800-\udfff]/gu, '\ufffd'))
  // Past fastify's maxParamLength (100) the router answers before any handler: see the api's hostile-input test.
  .filter((s) => encodeURIComponent(s).length <= 100)

const request = fc.oneof(
  hostile.map((type) => ({ url: `/v1/streams/${encodeURIComponent(type)}/ca-ev-surtax`, field: 'aggregateType' })),
  hostile.map((id) => ({ url: `/v1/streams/measure/${encodeURIComponent(id)}`, field: 'id' })),
)

describe('GET /v1/streams under 2,000 hostile requests', () => {
  it('never answers 5xx, never writes, always a problem naming the segment', async () => {
    const before = await store.head()
    await fc.assert(
      fc.asyncProperty(request, async ({ url, field }) => {
        const response = await app.inject({ method: 'GET', url, headers: { 'x-api-key': auditor.key } })
        const body = response.json() as { status: number; code: string; errors?: { path: string }[] }
        expect(response.statusCode, url).toBeGreaterThanOrEqual(400)
        expect(response.statusCode, url).toBeLessThan(500)
        expect(response.headers['content-type'], url).toContain('application/problem+json')
        expect(body.status, url).toBe(response.statusCode)
        // The route names the segment without a /params prefix (unlike the api): accept either.
        if (response.statusCode === 400)
          expect(
            body.errors?.map((e) => e.path.replace(/^\/params/, '')),
            url,
          ).toContain(`/${field}`)
      }),
      { numRuns: 2_000, seed: Number(process.env.FC_SEED ?? 20261129), endOnFailure: true },
    )
    expect(await store.head()).toBe(before)
  }, 120_000)
})
