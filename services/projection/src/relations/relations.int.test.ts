import type { Db } from '@tradewatch/db'
import { type EventEnvelope, partyCodes } from '@tradewatch/domain'
import { relationSummary, relationsOf } from '@tradewatch/queries'
import { useTestEnvironment } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { demoFacts, envelopesOf, type Fact } from '../testing/envelopes.js'
import { relationsProjection } from './relations.projection.js'

const env = useTestEnvironment()
const envelopes = envelopesOf(demoFacts())
const firstPart = envelopes.filter((e) => e.recordedAt.slice(0, 10) <= '2024-10-01')
const tables = ['relation_states', 'relation_measures', 'relation_agreements', 'relation_monthly'] as const

async function applyInBatches(db: Db, events: readonly EventEnvelope[], size: number) {
  for (let i = 0; i < events.length; i += size) await db.transaction().execute((trx) => relationsProjection.apply(trx, events.slice(i, i + size)))
}
const ids = (direction: { active: { measureId: string }[] }) => direction.active.map((m) => m.measureId)
const month = (direction: { monthly: { month: string }[] }, m: string) => direction.monthly.find((row) => row.month === m)
// Every row of every relations table, in key order, as text: what a rebuild must reproduce.
const snapshot = (db: Db) =>
  Promise.all(tables.map((t) => sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(t)} t ORDER BY 1`.execute(db).then((r) => r.rows)))

describe('relations', () => {
  it('given the demo data up to 2024-10-01 in batches of 5, then Canada has the 100% EV surtax in force on China', async () => {
    await applyInBatches(env.db, firstPart, 5)
    const [caCn] = (await relationSummary(env.db, 'CA', 'CN', { asOf: '2024-10-01' })).directions
    expect(caCn.active).toEqual([
      {
        measureId: 'ca-cn-ev-surtax',
        kind: 'surtax',
        direction: 'restrictive',
        title: 'Surtax on Chinese electric vehicles',
        ratePercent: 100,
        inForceFrom: '2024-10-01',
      },
    ])
    expect(caCn.averageAdditionalDuty).toBe(100)
    expect(ids((await relationSummary(env.db, 'CA', 'CN', { asOf: '2024-09-30' })).directions[0])).toEqual([])
  })

  it('given the rest in batches of 7, then the EV surtax is revoked from 2026-03-01 and was in force in mid-2025', async () => {
    await applyInBatches(env.db, envelopes.slice(firstPart.length), 7)
    const [caCn] = (await relationSummary(env.db, 'CA', 'CN', { asOf: '2026-03-01' })).directions
    expect(ids(caCn)).toEqual(['ca-cn-steel-aluminum-surtax'])
    expect(caCn.lastChange).toMatchObject({ subject: 'ca-cn-ev-surtax', eventType: 'MeasureRevoked', occurredAt: '2026-02-24' })
    const mid2025 = (await relationSummary(env.db, 'CA', 'CN', { asOf: '2025-06-01' })).directions[0]
    expect(ids(mid2025)).toEqual(['ca-cn-ev-surtax', 'ca-cn-steel-aluminum-surtax'])
    expect(mid2025.averageAdditionalDuty).toBe(62.5)
  })

  it('then China has its canola, pork and seafood measures on Canada, and the 2026 arrangement is there both ways', async () => {
    const summary = await relationSummary(env.db, 'CA', 'CN', { asOf: '2026-03-01' })
    const cnCa = summary.directions[1]
    expect(cnCa.active.map((m) => [m.measureId, m.ratePercent])).toEqual([
      ['cn-ca-canola-ad', 5.9],
      ['cn-ca-canola-oil-meal-peas', 100],
      ['cn-ca-gb-visa-free-2026', null],
      ['cn-ca-pork-seafood', 25],
    ])
    // The visa waiver has no duty, so the mean is over the three tariffs.
    expect(cnCa.averageAdditionalDuty).toBeCloseTo((5.9 + 100 + 25) / 3, 10)
    expect(cnCa.maxAdditionalDuty).toBe(100)
    expect(summary.agreements).toEqual([
      { agreementId: 'ca-cn-2026-arrangement', kind: 'arrangement', status: 'preliminary', title: 'Canada–China preliminary arrangement on EVs and canola' },
    ])
    // The anti-dumping deposit applied only from 2025-08-14.
    expect(ids((await relationSummary(env.db, 'CN', 'CA', { asOf: '2025-06-01' })).directions[0])).toEqual(['cn-ca-canola-oil-meal-peas', 'cn-ca-pork-seafood'])
  })

  it('then the US had its IEEPA tariff on Canada until the court, never the reciprocal one that spares Canada, and the talks are suspended', async () => {
    const sept2025 = await relationSummary(env.db, 'US', 'CA', { asOf: '2025-09-01' })
    const usCa = sept2025.directions[0]
    expect(ids(usCa)).toEqual(['us-all-autos-232-2025', 'us-all-steel-aluminum-232-2025', 'us-ca-ieepa-fentanyl'])
    expect(usCa.active.find((m) => m.measureId === 'us-ca-ieepa-fentanyl')?.ratePercent).toBe(35)
    expect(sept2025.talks).toEqual([{ agreementId: 'us-ca-trade-talks-2025', status: 'talks_suspended', title: 'US–Canada trade and security talks' }])
    expect(sept2025.agreements.map((a) => [a.agreementId, a.kind, a.status])).toEqual([
      ['us-ca-trade-talks-2025', 'negotiation', 'talks_suspended'],
      ['usmca', 'fta', 'in_force'],
    ])
    const after = (await relationSummary(env.db, 'US', 'CA', { asOf: '2026-03-01' })).directions[0]
    expect(ids(after)).toEqual(['us-all-autos-232-2025', 'us-all-s122-surcharge-2026', 'us-all-steel-aluminum-232-2025'])
    // Announced with an exemption in February 2025; in force, exemptions, a counter-surtax... and the court in February 2026.
    expect(month(after, '2026-02')).toEqual({ month: '2026-02', restrictive: 2, liberalising: 3 })
  })

  it('then the monthly counts for Canada on China are the demo events: one announcement in 2024-08, three openings in 2024-10', async () => {
    const [caCn] = (await relationSummary(env.db, 'CA', 'CN')).directions
    expect(month(caCn, '2024-08')).toEqual({ month: '2024-08', restrictive: 1, liberalising: 0 })
    // The EV surtax entering into force, the steel and aluminum surtax announced and entering into force.
    expect(month(caCn, '2024-10')).toEqual({ month: '2024-10', restrictive: 3, liberalising: 0 })
    // The EV surtax revoked (counted by when it was decided, 2026-02-24).
    expect(month(caCn, '2026-02')).toEqual({ month: '2026-02', restrictive: 0, liberalising: 1 })
  })

  it('then relationsOf lists every pair Canada is in, erga omnes measures on it included', async () => {
    const pairs = await relationsOf(env.db, 'CA')
    expect(pairs.map((p) => `${p.imposer}>${p.partner}`)).toEqual(['CA>CN', 'CA>MX', 'CA>US', 'CN>CA', 'MX>CA', 'US>CA'])
    expect(pairs.find((p) => p.imposer === 'US')).toMatchObject({ measures: 7, agreements: 2 })
  })

  it('then a rebuild in one batch equals the many small batches, row for row', async () => {
    const live = await snapshot(env.db)
    for (const t of tables) await sql`TRUNCATE ${sql.table(t)}`.execute(env.db)
    await applyInBatches(env.db, envelopes, envelopes.length)
    expect(await snapshot(env.db)).toEqual(live)
    // No table is trivially equal by being empty.
    expect(live.map((rows) => rows.length > 0)).toEqual([true, true, true, true])
  })

  it('given one batch of 20 measures on every other party, then all their rows are written: 16 columns × ~5,000 rows would be past the 65,535 bind parameters of a VALUES list, so rows go in one jsonb parameter', async () => {
    const announced = demoFacts(['ca-cn-ev-surtax'])[0] as Fact & { data: object }
    const countries = partyCodes().filter((c) => c !== 'CA')
    const facts = Array.from({ length: 20 }, (_, n) => ({
      ...announced,
      aggregateId: `wide-${n}`,
      data: { ...announced.data, targets: { mode: 'listed', countries } },
    }))
    await applyInBatches(env.db, envelopesOf(facts, envelopes.length), facts.length)
    const { count } = await env.db
      .selectFrom('relation_measures')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('measure_id', 'like', 'wide-%')
      .executeTakeFirstOrThrow()
    expect(Number(count)).toBe(20 * countries.length)
    expect(Number(count) * 16).toBeGreaterThan(65_535)
  })
})
