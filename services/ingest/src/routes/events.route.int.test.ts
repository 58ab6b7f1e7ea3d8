import { readFileSync } from 'node:fs'
import path from 'node:path'
import { apiKeysEnv, loadConfig } from '@tradewatch/config'
import { createEventStore, type EventStore } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { MetricsRegistry } from '@tradewatch/service-kit'
import { repoRoot, testApiKey, useTestEnvironment } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { buildApp } from '../app.js'
import { createRecording } from '../recording/record-batch.js'

const env = useTestEnvironment()
const announced = JSON.parse(readFileSync(path.join(repoRoot, 'docs/examples/ca-ev-surtax-announced.json'), 'utf8'))
const feeder = testApiKey('feeder', ['ingest'])
const reader = testApiKey('reader', ['read'])
let app: FastifyInstance
let store: EventStore

beforeAll(async () => {
  store = createEventStore({ db: env.db })
  app = await buildApp({
    logger: createLogger({ service: 'ingest', level: 'silent' }),
    recording: createRecording(store),
    metrics: new MetricsRegistry(),
    checks: {},
    apiKeys: loadConfig(z.object(apiKeysEnv), { API_KEYS: `${feeder.entry},${reader.entry}` }).API_KEYS,
    bodyLimit: 64 * 1024,
    maxBatchInputs: 10,
    maxLineBytes: 8 * 1024,
  })
})
afterAll(async () => {
  await app.close()
  await store.close()
})

const post = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { 'content-type': 'application/json', 'x-api-key': feeder.key, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  })
const withMeasure = (measureId: string, input: Record<string, unknown> = announced) => ({ ...input, measureId })
const inForce = (measureId: string, extra: Record<string, unknown> = {}) => ({
  type: 'MeasureEnteredIntoForce',
  measureId,
  occurredAt: '2024-10-01',
  source: { kind: 'official_gazette', url: 'https://gazette.gc.ca/rp-pr/p2/2024/2024-10-09/html/sor-dors187-eng.html', title: 'China Surtax Order (2024)' },
  data: {},
  ...extra,
})
const eventCount = async () =>
  Number(
    (
      await env.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('POST /v1/events, one input', () => {
  it('records a measure announcement: 201 with id, version and position', async () => {
    const response = await post(withMeasure('ev-a'))
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({ status: 'appended', aggregateType: 'measure', aggregateId: 'ev-a', version: 1 })
    expect(await store.readStream({ aggregateType: 'measure', aggregateId: 'ev-a' })).toHaveLength(1)
  })

  it('answers the same fact again as a duplicate of the original', async () => {
    const first = (await post(withMeasure('ev-b'))).json()
    const again = await post(withMeasure('ev-b'))
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ status: 'duplicate', eventId: first.eventId, position: first.position })
    expect(await store.readStream({ aggregateType: 'measure', aggregateId: 'ev-b' })).toHaveLength(1)
  })

  it('decides an announcement of a measure that exists on its events, and answers its repeat as any duplicate', async () => {
    // An announcement is appended at version 0 without a read; the store's version check sends it to the read path.
    const first = (await post(withMeasure('ev-exists'))).json()
    const other = await post(withMeasure('ev-exists', { ...announced, source: { ...announced.source, url: 'https://example.org/another-report' } }))
    expect(other.statusCode).toBe(422)
    expect(other.json()).toMatchObject({ code: 'MEASURE_ALREADY_ANNOUNCED' })
    const entered = (await post(inForce('ev-exists'))).json()
    // Found by the append (every key known) and by the read before deciding: the same answer.
    const announcedAgain = await post(withMeasure('ev-exists'))
    const enteredAgain = await post(inForce('ev-exists'))
    expect(announcedAgain.statusCode).toBe(200)
    expect(announcedAgain.json()).toEqual({ ...first, status: 'duplicate', streamId: 'measure-ev-exists' })
    expect(enteredAgain.json()).toEqual({ ...entered, status: 'duplicate', streamId: 'measure-ev-exists' })
    expect(Object.keys(announcedAgain.json())).toEqual(Object.keys(enteredAgain.json()))
    expect((await store.readStream({ aggregateType: 'measure', aggregateId: 'ev-exists' })).map((e) => e.type)).toEqual([
      'MeasureAnnounced',
      'MeasureEnteredIntoForce',
    ])
  })

  it('refuses an invalid field with 400 naming its path, and writes nothing', async () => {
    const before = await eventCount()
    const response = await post(withMeasure('ev-c', { ...announced, data: { ...announced.data, imposer: 'XX' } }))
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.json().errors).toContainEqual(expect.objectContaining({ path: '/data/imposer' }))
    expect(await eventCount()).toBe(before)
  })

  it('refuses malformed JSON and a body that is not an input with 400, writing nothing', async () => {
    const before = await eventCount()
    expect((await post('{"type": ')).statusCode).toBe(400)
    expect((await post('"just a string"')).statusCode).toBe(400)
    expect(await eventCount()).toBe(before)
  })

  it('refuses an illegal transition with 422 and the domain code, and writes nothing', async () => {
    const before = await eventCount()
    const response = await post(inForce('never-announced'))
    expect(response.statusCode).toBe(422)
    expect(response.json().code).toBe('MEASURE_NOT_ANNOUNCED')
    expect(await eventCount()).toBe(before)
  })

  it('answers a wrong expectedVersion with 409 and the actual version, and writes nothing', async () => {
    await post(withMeasure('ev-d'))
    const before = await eventCount()
    const response = await post(inForce('ev-d', { expectedVersion: 0 }))
    expect(response.statusCode).toBe(409)
    expect(response.json()).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', actualVersion: 1 })
    expect(await eventCount()).toBe(before)
  })

  it('answers a decision that changes nothing as unchanged, writing nothing', async () => {
    await post(withMeasure('ev-f'))
    const before = await eventCount()
    const sameRate = { ...inForce('ev-f'), type: 'MeasureRateChanged', data: { after: { type: 'ad_valorem', percent: 100 } } }
    const response = await post(sameRate)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ status: 'unchanged', version: 1 })
    expect(await eventCount()).toBe(before)
  })

  it('refuses a wrong content type with 415 and an oversized body with 413, writing nothing', async () => {
    const before = await eventCount()
    expect((await post('type=MeasureAnnounced', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415)
    const huge = withMeasure('ev-e', { ...announced, data: { ...announced.data, productText: 'x'.repeat(70_000) } })
    expect((await post(huge)).statusCode).toBe(413)
    expect(await eventCount()).toBe(before)
  })
})

describe('API keys', () => {
  it('401 without a key or with an unknown one, 403 with a key lacking the ingest scope; nothing written', async () => {
    const before = await eventCount()
    const noKey = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(withMeasure('auth-a')),
    })
    expect(noKey.statusCode).toBe(401)
    expect(noKey.json().code).toBe('API_KEY_MISSING')
    expect((await post(withMeasure('auth-a'), { 'x-api-key': 'not-a-key' })).json().code).toBe('API_KEY_INVALID')
    const wrongScope = await post(withMeasure('auth-a'), { 'x-api-key': reader.key })
    expect(wrongScope.statusCode).toBe(403)
    expect(wrongScope.json().code).toBe('SCOPE_MISSING')
    expect(await eventCount()).toBe(before)
  })

  it('accepts the key as a bearer token too', async () => {
    const response = await post(withMeasure('auth-b'), { 'x-api-key': '', authorization: `Bearer ${feeder.key}` })
    expect(response.statusCode).toBe(201)
  })

  it('leaves health and metrics open', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200)
  })
})

describe('POST /v1/events, a batch', () => {
  it('accepts and rejects each input on its own: a rejected input writes nothing, the rest are appended', async () => {
    const before = await eventCount()
    const response = await post([
      withMeasure('batch-a'),
      withMeasure('batch-b', { ...announced, data: { ...announced.data, imposer: 'XX' } }),
      inForce('batch-a'),
      inForce('batch-never'),
      withMeasure('batch-a'),
    ])
    expect(response.statusCode).toBe(207)
    const { results, summary } = response.json()
    expect(summary).toEqual({ appended: 2, duplicate: 1, unchanged: 0, rejected: 2 })
    expect(results.map((r: { status: string }) => r.status)).toEqual(['appended', 'rejected', 'appended', 'rejected', 'duplicate'])
    expect(results[1].problem.errors).toContainEqual(expect.objectContaining({ path: '/1/data/imposer' }))
    expect(results[3].problem.code).toBe('MEASURE_NOT_ANNOUNCED')
    expect(results[2]).toMatchObject({ aggregateId: 'batch-a', version: 2 })
    expect(await eventCount()).toBe(before + 2)
  })

  it('refuses text Postgres cannot store (a lone surrogate, a NUL) naming its field, and appends the rest of the batch', async () => {
    const before = await eventCount()
    const response = await post([
      withMeasure('lone-a'),
      withMeasure('lone-b', { ...announced, data: { ...announced.data, title: 'EV surtax \ud800' } }),
      withMeasure('lone-c', { ...announced, idempotencyKey: 'key \udc00' }),
      withMeasure('lone-d'),
      withMeasure('lone-e', { ...announced, data: { ...announced.data, productText: 'nul \u0000 inside' } }),
    ])
    expect(response.statusCode).toBe(207)
    const { results } = response.json()
    expect(results.map((r: { status: string }) => r.status)).toEqual(['appended', 'rejected', 'rejected', 'appended', 'rejected'])
    expect(results[1].problem.errors).toContainEqual(expect.objectContaining({ path: '/1/data/title', message: expect.stringContaining('surrogate') }))
    expect(results[2].problem.errors).toContainEqual(expect.objectContaining({ path: '/2/idempotencyKey' }))
    expect(results[4].problem.errors).toContainEqual(expect.objectContaining({ path: '/4/data/productText', message: expect.stringContaining('NUL') }))
    expect(await eventCount()).toBe(before + 2)
  })

  it('refuses a batch over the limit whole, writing nothing', async () => {
    const before = await eventCount()
    const response = await post(Array.from({ length: 11 }, (_, i) => withMeasure(`over-${i}`)))
    expect(response.statusCode).toBe(400)
    expect(await eventCount()).toBe(before)
  })

  it('the same batch three times holds one copy of each event', async () => {
    const batch = [withMeasure('thrice-a'), inForce('thrice-a'), withMeasure('thrice-b')]
    const answers = [await post(batch), await post(batch), await post(batch)]
    expect(answers.map((a) => a.json().summary.appended)).toEqual([3, 0, 0])
    expect(answers[2]?.json().summary.duplicate).toBe(3)
    const rows = await env.db.selectFrom('events').select('stream_id').where('stream_id', 'in', ['measure-thrice-a', 'measure-thrice-b']).execute()
    expect(rows).toHaveLength(3)
  })
})

describe('POST /v1/events, NDJSON', () => {
  const ndjson = (lines: string[]) => post(lines.join('\n'), { 'content-type': 'application/x-ndjson' })

  it('answers a line per input and a summary, naming bad lines by number', async () => {
    const response = await ndjson([
      JSON.stringify(withMeasure('nd-a')),
      '',
      '{not json',
      JSON.stringify(inForce('nd-a')),
      JSON.stringify(withMeasure('nd-b', { ...announced, data: { ...announced.data, imposer: 'XX' } })),
      JSON.stringify({ ...withMeasure('nd-c'), productText: 'y'.repeat(9000) }),
    ])
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('application/x-ndjson')
    const lines = response.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.slice(0, -1).map((l) => [l.line, l.status])).toEqual([
      [1, 'appended'],
      [3, 'rejected'],
      [4, 'appended'],
      [5, 'rejected'],
      [6, 'rejected'],
    ])
    expect(lines.at(-1)).toEqual({ summary: { lines: 6, appended: 2, duplicate: 0, unchanged: 0, rejected: 3 } })
    expect(await store.readStream({ aggregateType: 'measure', aggregateId: 'nd-a' })).toHaveLength(2)
  })
})

describe('GET /v1/streams/:aggregateType/:id', () => {
  it('returns the raw events in version order to a reader', async () => {
    await post(withMeasure('audit-a'))
    await post(inForce('audit-a'))
    const response = await app.inject({ method: 'GET', url: '/v1/streams/measure/audit-a', headers: { 'x-api-key': reader.key } })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.events.map((e: { type: string; aggregateVersion: number }) => [e.type, e.aggregateVersion])).toEqual([
      ['MeasureAnnounced', 1],
      ['MeasureEnteredIntoForce', 2],
    ])
    expect(body.events[0].source.url).toBe(announced.source.url)
  })

  it('404 for an unknown stream, 400 for a bad aggregate type', async () => {
    const headers = { 'x-api-key': reader.key }
    expect((await app.inject({ method: 'GET', url: '/v1/streams/measure/nope', headers })).statusCode).toBe(404)
    const bad = await app.inject({ method: 'GET', url: '/v1/streams/tariff/x', headers })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].path).toBe('/aggregateType')
  })
})
