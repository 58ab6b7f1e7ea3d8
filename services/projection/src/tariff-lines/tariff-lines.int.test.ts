import type { EventEnvelope } from '@tradewatch/domain'
import { mostSpecificLine, tariffsAt } from '@tradewatch/queries'
import { useTestEnvironment } from '@tradewatch/test-support'
import { describe, expect, it } from 'vitest'
import { demoFacts, envelopesOf, type Fact } from '../testing/envelopes.js'
import { tariffLinesProjection } from './tariff-lines.projection.js'

const env = useTestEnvironment()

const apply = (envelopes: readonly EventEnvelope[]) => env.db.transaction().execute((trx) => tariffLinesProjection.apply(trx, envelopes))
/** Applies in batches of `size`, as the projector would. */
const applyInBatches = async (envelopes: readonly EventEnvelope[], size: number) => {
  for (let i = 0; i < envelopes.length; i += size) await apply(envelopes.slice(i, i + size))
}
/** A measure's facts, each recorded at 09:00 on the day it occurred. */
const factsOf =
  (aggregateId: string, source?: Fact['source']) =>
  (type: Fact['type'], occurredAt: string, data: unknown): Fact => ({ type, aggregateId, occurredAt, recordedAt: `${occurredAt}T09:00:00Z`, source, data })
const rates = async (query: Parameters<typeof tariffsAt>[1]) =>
  (await tariffsAt(env.db, query)).map((t) => ({ measureId: t.measureId, hsPrefix: t.hsPrefix, ratePercent: t.ratePercent }))

describe('tariff lines: Canada’s surtax on Chinese EVs (demo data)', () => {
  const ev = { imposer: 'CA', origin: 'CN', hs: '8703' }
  const envelopes = envelopesOf(demoFacts(['ca-cn-ev-surtax', 'eu-cn-bev-cvd', 'cn-ca-canola-oil-meal-peas']))

  it('given the demo events, when applied in batches of 7, then 2024-09-01 has no duty: announced, not in force', async () => {
    await applyInBatches(envelopes, 7)
    expect(await rates({ ...ev, asOf: '2024-09-01' })).toEqual([])
  })

  it('then 2025-06-01 has the 100% surtax, on the heading and on its national lines', async () => {
    const applied = await tariffsAt(env.db, { ...ev, asOf: '2025-06-01' })
    expect(applied.map((t) => t.hsPrefix)).toEqual(['8703', '87034010', '87034090', '87035000', '87036010', '87036090', '87037000', '87038000', '87039000'])
    expect(new Set(applied.map((t) => t.ratePercent))).toEqual(new Set([100]))
    expect(applied[0]).toMatchObject({ measureId: 'ca-cn-ev-surtax', validFrom: '2024-10-01', quotas: [] })
  })

  it('then a narrower code (870380) finds the heading and its own national line', async () => {
    expect(await rates({ ...ev, hs: '870380', asOf: '2025-06-01' })).toEqual([
      { measureId: 'ca-cn-ev-surtax', hsPrefix: '8703', ratePercent: 100 },
      { measureId: 'ca-cn-ev-surtax', hsPrefix: '87038000', ratePercent: 100 },
    ])
  })

  it('then between the January 2026 arrangement and the revocation, 100% with the 49,000-vehicle quota at 6.1% on the line', async () => {
    const [line] = await tariffsAt(env.db, { ...ev, hs: '870380', asOf: '2026-02-01' })
    expect(line).toMatchObject({ ratePercent: 100, validFrom: '2026-01-16', validTo: '2026-03-01' })
    expect(line?.quotas).toEqual([expect.objectContaining({ quotaId: 'ev-quota-2026', quantity: 49000, inQuotaRate: { type: 'ad_valorem', percent: 6.1 } })])
  })

  it('then after 1 March 2026 nothing applies: the surtax was revoked (and its quota with it)', async () => {
    expect(await rates({ ...ev, asOf: '2026-03-01' })).toEqual([])
    expect(await rates({ ...ev, asOf: '2026-03-15' })).toEqual([])
  })

  it('then as known before the revocation was recorded (2026-02-24), 2026-03-15 still shows 100%', async () => {
    const known = await tariffsAt(env.db, { ...ev, hs: '870380', asOf: '2026-03-15', knownAt: '2026-02-20T00:00:00Z' })
    expect(known.map((t) => [t.hsPrefix, t.ratePercent, t.validTo])).toEqual([
      ['8703', 100, null],
      ['87038000', 100, null],
    ])
    const afterRecorded = await tariffsAt(env.db, { ...ev, hs: '870380', asOf: '2026-03-15', knownAt: '2026-02-24T12:00:00Z' })
    expect(afterRecorded).toEqual([])
  })

  it('then the EU duty on Chinese BEVs is not Canada’s (provisional 37.6%, definitive 35.3%), and Canada’s goods are not Chinese', async () => {
    expect(await rates({ imposer: 'EU', origin: 'CN', hs: '870380', asOf: '2024-09-01' })).toEqual([
      { measureId: 'eu-cn-bev-cvd', hsPrefix: '870380', ratePercent: 37.6 },
    ])
    expect(await rates({ imposer: 'EU', origin: 'CN', hs: '870380', asOf: '2025-06-01' })).toEqual([
      { measureId: 'eu-cn-bev-cvd', hsPrefix: '870380', ratePercent: 35.3 },
      { measureId: 'eu-cn-bev-cvd', hsPrefix: '87038010', ratePercent: 35.3 },
    ])
    expect(await rates({ imposer: 'CA', origin: 'US', hs: '8703', asOf: '2025-06-01' })).toEqual([])
  })

  it('then China’s 2026 relief on Canadian canola meal is a 0% exemption through 2026, while canola oil stays at 100%', async () => {
    const cnOnCa = { imposer: 'CN', origin: 'CA' }
    const [meal] = await tariffsAt(env.db, { ...cnOnCa, hs: '230641', asOf: '2026-06-01' })
    expect(meal).toMatchObject({
      ratePercent: 0,
      validFrom: '2026-03-01',
      validTo: '2027-01-01',
      exemptions: [expect.objectContaining({ exemptionId: 'meal-peas-2026', covers: 'all' })],
    })
    expect(await rates({ ...cnOnCa, hs: '230641', asOf: '2027-01-01' })).toEqual([
      { measureId: 'cn-ca-canola-oil-meal-peas', hsPrefix: '230641', ratePercent: 100 },
    ])
    expect(await rates({ ...cnOnCa, hs: '151411', asOf: '2026-06-01' })).toEqual([
      { measureId: 'cn-ca-canola-oil-meal-peas', hsPrefix: '1514', ratePercent: 100 },
    ])
  })

  it('then a rebuild in one batch gives the same rows, ids included', async () => {
    const live = await env.db.selectFrom('tariff_lines').selectAll().orderBy('line_id').execute()
    await env.db.deleteFrom('tariff_lines').execute()
    await env.db.deleteFrom('tariff_line_inputs').execute()
    await apply(envelopes)
    expect(await env.db.selectFrom('tariff_lines').selectAll().orderBy('line_id').execute()).toEqual(live)
  })
})

describe('tariff lines: knowledge time', () => {
  const measureId = 'xx-late-correction'
  const facts: Fact[] = [
    {
      type: 'MeasureAnnounced',
      aggregateId: measureId,
      occurredAt: '2025-01-10',
      recordedAt: '2025-01-10T09:00:00Z',
      data: {
        kind: 'tariff',
        title: 'Duty on widgets',
        imposer: 'US',
        targets: { mode: 'all_except', excluded: ['CA', 'MX'] },
        products: [{ code: '8471' }],
        productText: 'widgets',
        rate: { type: 'ad_valorem', percent: 25 },
        legalBasis: { jurisdiction: 'US', instrument: 'Proclamation 1' },
        direction: 'restrictive',
      },
    },
    { type: 'MeasureEnteredIntoForce', aggregateId: measureId, occurredAt: '2025-02-01', recordedAt: '2025-02-01T09:00:00Z', data: {} },
    // Learnt in June: the rate had been cut to 10% from 1 April.
    {
      type: 'MeasureRateChanged',
      aggregateId: measureId,
      occurredAt: '2025-03-20',
      effectiveAt: '2025-04-01',
      recordedAt: '2025-06-15T09:00:00Z',
      data: { after: { type: 'ad_valorem', percent: 10 } },
    },
    {
      type: 'MeasureSuspended',
      aggregateId: measureId,
      occurredAt: '2025-07-01',
      recordedAt: '2025-07-01T09:00:00Z',
      data: { until: '2025-08-01', reason: 'talks' },
    },
  ]
  const [announced, inForce, corrected, suspended] = envelopesOf(facts, 100) as [EventEnvelope, EventEnvelope, EventEnvelope, EventEnvelope]
  const widgets = { imposer: 'US', origin: 'CN', hs: '847130' }

  it('given a measure on all but Canada and Mexico in force at 25%, when asked, then CN pays 25% and CA nothing', async () => {
    await apply([announced, inForce])
    expect((await tariffsAt(env.db, { ...widgets, asOf: '2025-05-01' })).map((t) => [t.origin, t.ratePercent])).toEqual([['*', 25]])
    expect(await tariffsAt(env.db, { ...widgets, origin: 'CA', asOf: '2025-05-01' })).toEqual([])
  })

  it('when a correction arrives late (recorded in June, effective 1 April), then the old knowledge row is closed, not changed', async () => {
    await apply([corrected])
    const rows = await env.db
      .selectFrom('tariff_lines')
      .select(['line_id', 'rate_percent', 'recorded_from', 'recorded_to', 'opened_position', 'closed_position'])
      .where('measure_id', '=', measureId)
      .orderBy('opened_position')
      .orderBy('line_id')
      .execute()
    expect(rows.map((r) => [r.line_id, r.rate_percent, r.recorded_to?.toISOString() ?? null, r.closed_position])).toEqual([
      [`${measureId}@102#0`, '25', '2025-06-15T09:00:00.000Z', '103'],
      [`${measureId}@103#0`, '25', null, null],
      [`${measureId}@103#1`, '10', null, null],
    ])
  })

  it('then 2025-05-01 as known now is 10%, and as known in May is still 25%', async () => {
    expect((await tariffsAt(env.db, { ...widgets, asOf: '2025-05-01' })).map((t) => t.ratePercent)).toEqual([10])
    expect((await tariffsAt(env.db, { ...widgets, asOf: '2025-05-01', knownAt: '2025-05-15T00:00:00Z' })).map((t) => t.ratePercent)).toEqual([25])
    expect((await tariffsAt(env.db, { ...widgets, asOf: '2025-03-01' })).map((t) => [t.ratePercent, t.validFrom, t.validTo])).toEqual([
      [25, '2025-02-01', '2025-04-01'],
    ])
  })

  it('when suspended until 1 August, then July is a gap and August applies again without a reinstatement', async () => {
    await apply([suspended])
    expect(await tariffsAt(env.db, { ...widgets, asOf: '2025-07-15' })).toEqual([])
    expect((await tariffsAt(env.db, { ...widgets, asOf: '2025-08-01' })).map((t) => [t.ratePercent, t.validFrom, t.validTo])).toEqual([
      [10, '2025-08-01', null],
    ])
    expect((await tariffsAt(env.db, { ...widgets, asOf: '2025-07-15', knownAt: '2025-06-30T00:00:00Z' })).map((t) => t.ratePercent)).toEqual([10])
  })
})

describe('tariff lines: only what the imposer charges on goods coming in', () => {
  // Regression (found by the tariff oracle): an export control became a line on goods *entering* its imposer.
  it('given an export control in force, when asked about its products from its targets, then no line applies', async () => {
    const measureId = 'cn-us-gallium-export-ban'
    await apply(
      envelopesOf(
        [
          {
            type: 'MeasureAnnounced',
            aggregateId: measureId,
            occurredAt: '2024-12-03',
            recordedAt: '2024-12-03T09:00:00Z',
            data: {
              kind: 'export_control',
              title: 'Ban on gallium exports to the United States',
              imposer: 'CN',
              targets: { mode: 'listed', countries: ['US'] },
              products: [{ code: '8112' }],
              productText: 'gallium, germanium and antimony',
              rate: null,
              legalBasis: { jurisdiction: 'CN', instrument: 'MOFCOM Announcement 46 (2024)' },
              direction: 'restrictive',
            },
          },
          { type: 'MeasureEnteredIntoForce', aggregateId: measureId, occurredAt: '2024-12-03', recordedAt: '2024-12-03T10:00:00Z', data: {} },
        ],
        500,
      ),
    )
    expect(await env.db.selectFrom('tariff_lines').select('line_id').where('measure_id', '=', measureId).execute()).toEqual([])
    expect(await rates({ imposer: 'CN', origin: 'US', hs: '811292', asOf: '2025-01-01' })).toEqual([])
  })

  // Regression (found by the tariff oracle): an exemption for some origins of an erga omnes measure left them at the full rate.
  it('given a duty on all origins with one origin at a lower rate and another spared, then each origin pays what its exemption says', async () => {
    const measureId = 'us-all-steel'
    const fact = factsOf(measureId, { kind: 'news', url: 'https://example.org/steel', title: 'Steel duty' })
    await apply(
      envelopesOf(
        [
          fact('MeasureAnnounced', '2025-02-10', {
            kind: 'tariff',
            title: 'Duty on steel from everywhere',
            imposer: 'US',
            targets: { mode: 'all' },
            products: [{ code: '7208' }],
            productText: 'flat-rolled steel',
            rate: { type: 'ad_valorem', percent: 25 },
            legalBasis: { jurisdiction: 'US', instrument: 'Proclamation 10896' },
            direction: 'restrictive',
          }),
          fact('MeasureEnteredIntoForce', '2025-03-12', {}),
          fact('ExemptionGranted', '2025-06-01', { exemptionId: 'uk-deal', origins: ['GB'], rateWithin: { type: 'ad_valorem', percent: 10 } }),
          fact('ExemptionGranted', '2025-06-01', { exemptionId: 'jp-deal', origins: ['JP'] }),
        ],
        600,
      ),
    )
    const steel = (origin: string, asOf: string) => rates({ imposer: 'US', origin, hs: '720851', asOf })
    expect(await steel('GB', '2025-05-01')).toEqual([{ measureId, hsPrefix: '7208', ratePercent: 25 }])
    expect(await steel('GB', '2025-07-01')).toEqual([{ measureId, hsPrefix: '7208', ratePercent: 10 }])
    expect(await steel('JP', '2025-07-01')).toEqual([])
    expect(await steel('CN', '2025-07-01')).toEqual([{ measureId, hsPrefix: '7208', ratePercent: 25 }])
  })

  it('given facts recorded at one instant, then no row is kept that no knowledge time sees, however the batches fall', async () => {
    const measureId = 'us-at-once'
    const at = '2025-04-02T20:00:00.000Z'
    const facts: Fact[] = [
      [
        'MeasureAnnounced',
        '2025-04-02',
        {
          kind: 'tariff',
          title: 'Duty on furniture',
          imposer: 'US',
          targets: { mode: 'listed', countries: ['VN'] },
          products: [{ code: '9403' }],
          productText: 'furniture',
          rate: { type: 'ad_valorem', percent: 46 },
          legalBasis: { jurisdiction: 'US', instrument: 'EO 14257' },
          direction: 'restrictive',
        },
      ],
      ['MeasureEnteredIntoForce', '2025-04-09', {}],
      ['MeasureRateChanged', '2025-04-10', { after: { type: 'ad_valorem', percent: 10 } }],
      ['MeasureRateChanged', '2025-07-09', { after: { type: 'ad_valorem', percent: 20 } }],
    ].map(([type, occurredAt, data]) => ({ type, aggregateId: measureId, occurredAt, recordedAt: at, data }) as Fact)
    const envelopes = envelopesOf(facts, 700)
    const rows = () => env.db.selectFrom('tariff_lines').selectAll().where('measure_id', '=', measureId).orderBy('line_id').execute()
    await applyInBatches(envelopes, 1)
    const oneByOne = await rows()
    await env.db.deleteFrom('tariff_lines').where('measure_id', '=', measureId).execute()
    await env.db.deleteFrom('tariff_line_inputs').where('measure_id', '=', measureId).execute()
    await apply(envelopes)
    expect(await rows()).toEqual(oneByOne)
    // Only what was known from that instant on: 46% until 10 April, then 10%, then 20% from 9 July.
    expect(oneByOne.map((r) => [r.rate_percent, r.recorded_to])).toEqual([
      ['46', null],
      ['10', null],
      ['20', null],
    ])
    expect(await rates({ imposer: 'US', origin: 'VN', hs: '940360', asOf: '2025-05-01', knownAt: at })).toEqual([
      { measureId, hsPrefix: '9403', ratePercent: 10 },
    ])
  })
})

// Regression (found by the tariff oracle): an exemption on codes under the measure's own did not split its line, so
// the goods it spares kept the full rate (the demo's US duty on Canadian energy showed 25%, not 10%).
describe('tariff lines: the US fentanyl duty on Canadian goods, with energy and potash at 10% (demo data)', () => {
  const measureId = 'us-ca-ieepa-fentanyl'
  const usOnCa = { imposer: 'US', origin: 'CA' }
  const rateOn = async (hs: string, asOf: string) => mostSpecificLine(hs, await tariffsAt(env.db, { ...usOnCa, hs, asOf }))?.ratePercent

  it('given the demo events, then in June 2025 energy (271012) and potash (310420) pay 10% and cars (870380) 25%', async () => {
    await applyInBatches(envelopesOf(demoFacts([measureId]), 800), 5)
    expect(await rates({ ...usOnCa, hs: '271012', asOf: '2025-06-01' })).toEqual([
      { measureId, hsPrefix: '', ratePercent: 25 },
      { measureId, hsPrefix: '27', ratePercent: 10 },
    ])
    expect([await rateOn('271012', '2025-06-01'), await rateOn('310420', '2025-06-01'), await rateOn('870380', '2025-06-01')]).toEqual([10, 10, 25])
  })

  it('then potash is 10% only from the 6 March carve-out, and from 1 August 2025 cars pay 35% while energy and potash stay at 10%', async () => {
    expect(await rateOn('310420', '2025-03-05')).toBe(25)
    expect([await rateOn('271012', '2025-09-01'), await rateOn('310420', '2025-09-01'), await rateOn('870380', '2025-09-01')]).toEqual([10, 10, 35])
  })

  it('then a question on all of chapter 31 finds the 25% line and the narrower potash line at 10% under it', async () => {
    expect(await rates({ ...usOnCa, hs: '31', asOf: '2025-06-01' })).toEqual([
      { measureId, hsPrefix: '', ratePercent: 25 },
      { measureId, hsPrefix: '3104', ratePercent: 10 },
    ])
  })

  it('given a duty on all goods that spares mineral oils (2710) whole, then they pay none of it, and chapter 27 shows the spared line', async () => {
    const spared = 'au-all-but-oil'
    const fact = factsOf(spared)
    await apply(
      envelopesOf(
        [
          fact('MeasureAnnounced', '2025-01-10', {
            kind: 'tariff',
            title: 'Duty on all goods',
            imposer: 'AU',
            targets: { mode: 'listed', countries: ['NZ'] },
            products: [],
            productText: 'all goods but mineral oils',
            rate: { type: 'ad_valorem', percent: 20 },
            legalBasis: { jurisdiction: 'AU', instrument: 'Order 1' },
            direction: 'restrictive',
          }),
          fact('MeasureEnteredIntoForce', '2025-02-01', {}),
          fact('ExemptionGranted', '2025-02-01', { exemptionId: 'oil', products: [{ code: '2710' }] }),
        ],
        900,
      ),
    )
    const auOnNz = { imposer: 'AU', origin: 'NZ', asOf: '2025-06-01' }
    expect(await rates({ ...auOnNz, hs: '271012' })).toEqual([])
    expect(await rates({ ...auOnNz, hs: '27' })).toEqual([
      { measureId: spared, hsPrefix: '', ratePercent: 20 },
      { measureId: spared, hsPrefix: '2710', ratePercent: null },
    ])
    expect(await rates({ ...auOnNz, hs: '2709' })).toEqual([{ measureId: spared, hsPrefix: '', ratePercent: 20 }])
  })
})
