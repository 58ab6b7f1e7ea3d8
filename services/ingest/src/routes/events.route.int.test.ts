import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createEventStore, type EventStore } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { MetricsRegistry } from '@tradewatch/service-kit'
import { repoRoot, useTestEnvironment } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.js'

const env = useTestEnvironment()
const announced = JSON.parse(readFileSync(path.join(repoRoot, 'docs/examples/ca-ev-surtax-announced.json'), 'utf8'))
let app: FastifyInstance
let store: EventStore

beforeAll(async () => {
  store = createEventStore({ db: env.db })
  app = await buildApp({
    logger: createLogger({ service: 'ingest', level: 'silent' }),
    store,
    metrics: new MetricsRegistry(),
    checks: {},
    bodyLimit: 64 * 1024,
    maxBatchInputs: 10,
  })
})
afterAll(async () => {
  await app.close()
  await store.close()
})

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.inject({ method: 'POST', url: '/v1/events', headers, payload: typeof body === 'string' ? body : JSON.stringify(body) })
const withMeasure = (measureId: string, input: Record<string, unknown> = announced) => ({ ...input, measureId })
const inForce = (measureId: string) => ({
  type: 'MeasureEnteredIntoForce',
  measureId,
  occurredAt: '2024-10-01',
  source: { kind: 'official_gazette', url: 'https://gazette.gc.ca/rp-pr/p2/2024/2024-10-09/html/sor-dors187-eng.html', title: 'China Surtax Order (2024)' },
  data: {},
})

describe('POST /v1/events', () => {
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

  it('refuses an invalid field with 400 naming its path, and writes nothing', async () => {
    const head = await store.head()
    const bad = withMeasure('ev-c', { ...announced, data: { ...announced.data, imposer: 'XX' } })
    const response = await post(bad)
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.json().errors).toContainEqual(expect.objectContaining({ path: '/data/imposer' }))
    expect(await store.head()).toBe(head)
  })

  it('refuses an illegal transition with 422 and the domain code, and writes nothing', async () => {
    const head = await store.head()
    const response = await post(inForce('never-announced'))
    expect(response.statusCode).toBe(422)
    expect(response.json().code).toMatch(/^MEASURE_/)
    expect(await store.head()).toBe(head)
  })

  it('answers a wrong expectedVersion with 409 and the actual version', async () => {
    await post(withMeasure('ev-d'))
    const response = await post({ ...inForce('ev-d'), expectedVersion: 0 })
    expect(response.statusCode).toBe(409)
    expect(response.json()).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', actualVersion: 1 })
  })

  it('refuses a wrong content type with 415 and an oversized body with 413', async () => {
    expect((await post('type=MeasureAnnounced', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415)
    const huge = withMeasure('ev-e', { ...announced, data: { ...announced.data, productText: 'x'.repeat(70_000) } })
    expect((await post(huge)).statusCode).toBe(413)
  })
})
