import { readFileSync } from 'node:fs'
import path from 'node:path'
import { apiKeysEnv, loadConfig } from '@tradewatch/config'
import { createEventStore, type EventStore } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { MetricsRegistry } from '@tradewatch/service-kit'
import { repoRoot, testApiKey, useTestEnvironment } from '@tradewatch/test-support'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { buildApp } from '../app.js'
import { createRecording } from '../recording/record-batch.js'

// 10,000 generated malformed or hostile submissions: each must be refused with a 4xx
// problem+json that names what is wrong, and none may write anything.
const env = useTestEnvironment()
const valid = JSON.parse(readFileSync(path.join(repoRoot, 'docs/examples/ca-ev-surtax-announced.json'), 'utf8')) as Record<string, unknown>
const feeder = testApiKey('feeder', ['ingest'])
const bodyLimit = 64 * 1024
let app: FastifyInstance
let store: EventStore

beforeAll(async () => {
  store = createEventStore({ db: env.db })
  app = await buildApp({
    logger: createLogger({ service: 'ingest', level: 'silent' }),
    recording: createRecording(store),
    metrics: new MetricsRegistry(),
    checks: {},
    apiKeys: loadConfig(z.object(apiKeysEnv), { API_KEYS: feeder.entry }).API_KEYS,
    bodyLimit,
    maxBatchInputs: 10,
    maxLineBytes: 8 * 1024,
  })
})
afterAll(async () => {
  await app.close()
  await store.close()
})

const hostileStrings = [
  "'; DROP TABLE events; --",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '../../etc/passwd',
  '\u0000',
  '\ud800',
  '𝕏'.repeat(50),
  ' ',
  '',
]
const deep = (depth: number): unknown => (depth === 0 ? 'x' : { a: deep(depth - 1) })

/** A value that no field of an event input accepts where a code, date, id or number is due. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ maxLength: 20 }).map((s) => `${s}!@#`),
  fc.constant('x'.repeat(10_000)),
  fc.integer().map((n) => -Math.abs(n) - 1),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => -Math.abs(n) - 0.5),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constant({}), { minLength: 1, maxLength: 3 }),
  fc.integer({ min: 50, max: 2_000 }).map(deep),
)

/** Fields whose every accepted value is a code, date, id, enum or object: none takes a hostile value. */
const strictFields: string[][] = [
  ['type'],
  ['measureId'],
  ['occurredAt'],
  ['effectiveAt'],
  ['source'],
  ['source', 'kind'],
  ['source', 'url'],
  ['data'],
  ['data', 'kind'],
  ['data', 'imposer'],
  ['data', 'targets'],
  ['data', 'targets', 'mode'],
  ['data', 'targets', 'countries'],
  ['data', 'products'],
  ['data', 'rate'],
  ['data', 'rate', 'percent'],
  ['data', 'direction'],
  ['data', 'plannedEffectiveAt'],
  ['expectedVersion'],
  ['correlationId'],
]

const setIn = (target: Record<string, unknown>, at: readonly string[], value: unknown): Record<string, unknown> => {
  const copy = structuredClone(target)
  let node = copy
  for (const key of at.slice(0, -1)) node = node[key] as Record<string, unknown>
  node[at[at.length - 1] as string] = value
  return copy
}
const without = (target: Record<string, unknown>, at: readonly string[]) => setIn(target, at, undefined)
const pointer = (at: readonly (string | number)[]) => at.map((p) => `/${p}`).join('')

interface Case {
  name: string
  body: string
  contentType?: string
  /** A JSON pointer the problem must name (the field itself or one of its parents). */
  names?: string
  /** Word that must appear in some error message, for keys zod reports on their parent. */
  mentions?: string
}

/** Fields where null means "none given" (a rate-less threat, no effective date yet). */
const nullable = new Set(['/effectiveAt', '/data/rate'])
const fieldCase = fc
  .record({ at: fc.constantFrom(...strictFields), value: hostileValue })
  .filter(({ at, value }) => !(value === null && nullable.has(pointer(at))))
  .map(({ at, value }): Case => ({ name: `${pointer(at)} = hostile`, body: JSON.stringify(setIn(valid, at, value)), names: pointer(at) }))
const missingCase = fc
  .constantFrom(['type'], ['measureId'], ['occurredAt'], ['source'], ['data', 'imposer'], ['data', 'rate'], ['data', 'targets'])
  .map((at): Case => ({ name: `${pointer(at)} missing`, body: JSON.stringify(without(valid, at)), names: pointer(at) }))
const unknownFieldCase = fc
  .record({ parent: fc.constantFrom([], ['data'], ['source']), key: fc.stringMatching(/^[a-z]{3,12}$/), value: fc.jsonValue({ maxDepth: 2 }) })
  .filter(({ parent, key }) => !(key in ((parent.length ? valid[parent[0] as string] : valid) as Record<string, unknown>)))
  .map(({ parent, key, value }): Case => ({ name: `unknown ${key}`, body: JSON.stringify(setIn(valid, [...parent, key], value)), mentions: key }))
const badCodeCase = fc
  .oneof(
    fc.record({ at: fc.constant(['data', 'imposer']), value: fc.constantFrom('XX', 'ZZ', 'ca', 'USA', 'EU1') }),
    fc.record({
      at: fc.constant(['data', 'products']),
      value: fc.constantFrom([{ code: '0000' }], [{ code: '8799' }], [{ code: '87x' }], [{ code: '12345678901' }], [{}]),
    }),
    fc.record({ at: fc.constant(['occurredAt']), value: fc.constantFrom('2024-13-01', '2024-02-30', '24-08-26', 'yesterday', '2024-08-26T25:00:00Z') }),
    fc.record({ at: fc.constant(['data', 'rate', 'percent']), value: fc.constantFrom(-1, 1e9, '100') }),
  )
  .map(({ at, value }): Case => ({ name: `${pointer(at)} = ${JSON.stringify(value)}`, body: JSON.stringify(setIn(valid, at, value)), names: pointer(at) }))
const notJsonCase = fc
  .oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"type":', '[1,2', 'null', '"text"', '42', 'true', '[]', "{'type': 'x'}"))
  .filter((s) => {
    try {
      const parsed = JSON.parse(s)
      return parsed === null || typeof parsed !== 'object' || (Array.isArray(parsed) && parsed.length === 0)
    } catch {
      return true
    }
  })
  .map((body): Case => ({ name: `not an input: ${body.slice(0, 20)}`, body }))
const contentTypeCase = fc
  .constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png')
  .map((contentType): Case => ({ name: `content type ${contentType}`, body: JSON.stringify(valid), contentType }))
const oversizedCase = fc
  .integer({ min: bodyLimit + 1, max: bodyLimit * 3 })
  .map((size): Case => ({ name: `${size} bytes`, body: JSON.stringify(setIn(valid, ['data', 'productText'], 'x'.repeat(size))) }))
const batchCase = fc
  .array(fieldCase, { minLength: 1, maxLength: 10 })
  .map((cases): Case => ({ name: `batch of ${cases.length}`, body: `[${cases.map((c) => c.body).join(',')}]` }))

const hostileRequest = fc.oneof(
  { arbitrary: fieldCase, weight: 6 },
  { arbitrary: missingCase, weight: 1 },
  { arbitrary: unknownFieldCase, weight: 1 },
  { arbitrary: badCodeCase, weight: 2 },
  { arbitrary: notJsonCase, weight: 1 },
  { arbitrary: contentTypeCase, weight: 1 },
  { arbitrary: oversizedCase, weight: 1 },
  { arbitrary: batchCase, weight: 1 },
)

interface ProblemBody {
  status: number
  code: string
  errors?: { path: string; message: string }[]
  results?: { status: string; problem?: ProblemBody }[]
}

/** What must hold of any answer to a hostile request; returns a reason when it does not. */
function judge(c: Case, status: number, contentType: string | undefined, body: ProblemBody): string | undefined {
  if (status >= 500) return `answered ${status}`
  if (body.results) {
    // A batch answers per input: every one must be rejected with its own problem.
    const accepted = body.results.filter((r) => r.status !== 'rejected')
    return status === 207 && accepted.length === 0 ? undefined : `batch answered ${status} with ${accepted.length} accepted`
  }
  if (status < 400) return `accepted with ${status}`
  if (!contentType?.startsWith('application/problem+json')) return `content type ${contentType}`
  if (body.status !== status || !body.code) return 'not a problem body'
  if (status === 400 && !body.errors?.length) return '400 without field errors'
  const named = (e: { path: string; message: string }) =>
    (c.names === undefined || c.names.startsWith(e.path) || e.path.startsWith(c.names)) && (c.mentions === undefined || e.message.includes(c.mentions))
  if (status === 400 && (c.names !== undefined || c.mentions !== undefined) && !body.errors?.some(named)) {
    return `errors ${JSON.stringify(body.errors)} do not name ${c.names ?? c.mentions}`
  }
  return undefined
}

describe('POST /v1/events under 10,000 hostile requests', () => {
  it('never answers 5xx, never writes, always a problem naming the field', async () => {
    const before = await store.head()
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (c) => {
        const response = await app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: { 'content-type': c.contentType ?? 'application/json', 'x-api-key': feeder.key },
          payload: c.body,
        })
        let body: ProblemBody
        try {
          body = response.json()
        } catch {
          throw new Error(`${c.name}: answer is not JSON: ${response.body.slice(0, 200)}`)
        }
        const reason = judge(c, response.statusCode, response.headers['content-type']?.toString(), body)
        if (reason) throw new Error(`${c.name}: ${reason}`)
      }),
      { numRuns: 10_000, seed: Number(process.env.FC_SEED ?? 20261129), endOnFailure: true },
    )
    expect(await store.head()).toBe(before)
  }, 300_000)
})
