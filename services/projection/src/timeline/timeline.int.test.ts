import type { EventEnvelope } from '@tradewatch/domain'
import { searchTimeline } from '@tradewatch/queries'
import { useTestEnvironment } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { demoFacts, envelopesOf } from '../testing/envelopes.js'
import { timelineProjection } from './timeline.projection.js'

const env = useTestEnvironment()
const envelopes = envelopesOf(demoFacts())

const applyInBatches = async (events: readonly EventEnvelope[], size: number) => {
  for (let i = 0; i < events.length; i += size) await env.db.transaction().execute((trx) => timelineProjection.apply(trx, events.slice(i, i + size)))
}

describe('timeline', () => {
  it('given the whole demo data in batches of 50, then every event has a row with its provenance', async () => {
    await applyInBatches(envelopes, 50)
    const count = await env.db
      .selectFrom('timeline')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(envelopes.length)
  })

  it('when searching "surtax electric vehicles" revocations by Canada, then the EV surtax revocation comes with its source and summary', async () => {
    const [found, ...rest] = await searchTimeline(env.db, { q: 'surtax electric vehicles', country: 'CA', type: 'MeasureRevoked' })
    expect(rest).toEqual([])
    expect(found).toMatchObject({
      aggregateId: 'ca-cn-ev-surtax',
      occurredOn: '2026-02-24',
      effectiveOn: '2026-03-01',
      title: 'Surtax on Chinese electric vehicles',
      summary: 'Revoked from 2026-03-01 (deal): the 100% EV surtax ends on 1 March 2026',
      countries: ['CA', 'CN'],
      source: { kind: 'database', publisher: 'Global Trade Alert' },
    })
  })

  it('when filtering by HS 870380 and China, then measures on the code itself and on the heading above it come, and nothing else', async () => {
    const found = await searchTimeline(env.db, { hs: '870380', country: 'CN', limit: 500 })
    expect([...new Set(found.map((e) => e.aggregateId))].sort()).toEqual([
      'ca-cn-ev-surtax', // 8703 and national lines 870380xx
      'cn-us-crude-machinery-vehicles-2025', // China's duty on US goods, 8703
      'eu-cn-bev-cvd', // 870380
      'us-cn-s301-strategic-sectors-2024', // 8703
    ])
  })

  it('when filtering by a chapter (87), then lines under it are found too', async () => {
    const found = await searchTimeline(env.db, { hs: '87', country: 'CN', type: 'MeasureEnteredIntoForce', limit: 500 })
    expect(found.map((e) => e.aggregateId)).toEqual(expect.arrayContaining(['ca-cn-ev-surtax', 'eu-cn-bev-cvd']))
  })

  it('when searching canola in the first quarter of 2026, then only those events come, newest first by relevance', async () => {
    const found = await searchTimeline(env.db, { q: 'canola', from: '2026-01-01', to: '2026-04-01', limit: 500 })
    expect(found.length).toBeGreaterThan(0)
    for (const entry of found) {
      expect(entry.occurredOn >= '2026-01-01' && entry.occurredOn < '2026-04-01').toBe(true)
    }
    expect(found.map((e) => e.aggregateId)).toContain('ca-cn-2026-arrangement')
  })

  it('then each search vector is what the per-row expression (the trigger, the former generated column) computes', async () => {
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM timeline WHERE search IS DISTINCT FROM setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', summary || ' ' || coalesce(product_text, '')), 'B')
        || setweight(to_tsvector('english', source_title || ' ' || coalesce(source_quote, '')), 'C')`.execute(env.db)
    expect(Number(rows[0]?.n)).toBe(0)
  })

  it('then a rebuild in one batch gives the same rows', async () => {
    const live = await env.db.selectFrom('timeline').selectAll().orderBy('position').execute()
    await env.db.deleteFrom('timeline').execute()
    await env.db.deleteFrom('timeline_subjects').execute()
    await applyInBatches(envelopes, 500)
    expect(await env.db.selectFrom('timeline').selectAll().orderBy('position').execute()).toEqual(live)
  })
})
