import { randomUUID } from 'node:crypto'
import { createEventStore, type NewEvent, readCheckpoint, startRelay } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { type Projector, startProjector } from '@tradewatch/projector'
import { useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { measuresProjection } from './measures/measures.projection.js'
import { demoFacts } from './testing/envelopes.js'
import { timelineProjection } from './timeline/timeline.projection.js'

const env = useTestEnvironment()
const logger = createLogger({ service: 'upcasting-test', level: process.env.LOG_LEVEL ?? 'silent' })
const measureId = 'ca-cn-ev-surtax'
const running: Projector[] = []

const stored = (type: string, schemaVersion: number, data: unknown): NewEvent => ({
  type,
  schemaVersion,
  data,
  metadata: {
    occurredAt: '2026-01-16',
    effectiveAt: null,
    source: { kind: 'news', url: 'https://example.org/arrangement', title: 'Canada–China arrangement' },
    correlationId: randomUUID(),
    causationId: null,
  },
})

// A MeasureLinked written before v2 existed: the other end in `agreementId`, stamped schema version 1.
const linkedV1 = { relation: 'implements_commitment', agreementId: 'ca-cn-2026-arrangement' }

beforeAll(async () => {
  const [announced] = demoFacts([measureId])
  const store = createEventStore({ db: env.db })
  await store.append({ aggregateType: 'measure', aggregateId: measureId }, [
    stored('MeasureAnnounced', 1, announced?.data),
    stored('MeasureLinked', 1, linkedV1),
  ])
  await store.close()
  const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 100 })
  await waitFor('relay published both events', () => relay.status().publishedPosition === 2, 20_000)
  await relay.stop()
  for (const projection of [measuresProjection, timelineProjection]) {
    running.push(await startProjector({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, projection }))
    await waitFor(`${projection.name} at position 2`, async () => (await readCheckpoint(env.db, projection.name)) === 2, 20_000)
  }
})
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()))
})

describe('a stored MeasureLinked v1, read by the live projections', () => {
  it('is seen as v2: the measure links to the agreement, and the timeline names it', async () => {
    const row = await env.db.selectFrom('measures').select('state').where('measure_id', '=', measureId).executeTakeFirstOrThrow()
    expect((row.state as { links: unknown }).links).toEqual([
      { relation: 'implements_commitment', otherMeasureId: null, agreementId: 'ca-cn-2026-arrangement' },
    ])
    const line = await env.db.selectFrom('timeline').select(['summary', 'event_type']).where('position', '=', '2').executeTakeFirstOrThrow()
    expect(line).toEqual({ event_type: 'MeasureLinked', summary: 'Linked: implements commitment ca-cn-2026-arrangement' })
    expect(await env.db.selectFrom('dead_letters').selectAll().execute()).toEqual([])
  })

  it('is never rewritten: the events row keeps version 1 and its v1 data', async () => {
    const row = await env.db.selectFrom('events').select(['schema_version', 'data']).where('position', '=', '2').executeTakeFirstOrThrow()
    expect(row).toEqual({ schema_version: 1, data: linkedV1 })
  })
})
