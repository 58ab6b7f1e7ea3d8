import { describe, expect, it } from 'vitest'
import { demoEnvelopes } from './demo-envelopes.js'
import { type TariffQuestion, tariffsFromEvents } from './tariff-oracle.js'

const events = demoEnvelopes()
const ask = (imposer: string, origin: string, hs: string, asOf: string, knownAt?: string) =>
  tariffsFromEvents(events, { imposer, origin, hs, asOf, ...(knownAt ? { knownAt } : {}) } satisfies TariffQuestion)
const applied = (answer: ReturnType<typeof ask>) => answer.tariffs.map((t) => [t.measureId, t.additionalPercent])

describe('tariff oracle on the demo data: Canada’s surtax on Chinese electric vehicles', () => {
  it('on 2024-09-01, announced but not yet in force: nothing applies', () => {
    expect(ask('CA', 'CN', '8703', '2024-09-01')).toEqual({ tariffs: [], combinedAdditionalPercent: 0 })
  })
  it('on 2025-06-01: the 100% surtax', () => {
    expect(applied(ask('CA', 'CN', '8703', '2025-06-01'))).toEqual([['ca-cn-ev-surtax', 100]])
    expect(ask('CA', 'CN', '8703', '2025-06-01').combinedAdditionalPercent).toBe(100)
  })
  it('after the January 2026 arrangement: 100% above the 49,000-vehicle quota until the surtax ends on 2026-03-01', () => {
    const february = ask('CA', 'CN', '870380', '2026-02-01')
    expect(applied(february)).toEqual([['ca-cn-ev-surtax', 100]])
    expect(february.tariffs[0]?.quotaIds).toEqual(['ev-quota-2026'])
    expect(ask('CA', 'CN', '8703', '2026-03-15').tariffs).toEqual([])
  })
  it('as known on 2026-02-01, the surtax still applied in mid-March; the revocation was learnt on 2026-02-24', () => {
    expect(applied(ask('CA', 'CN', '8703', '2026-03-15', '2026-02-01T00:00:00Z'))).toEqual([['ca-cn-ev-surtax', 100]])
    expect(ask('CA', 'CN', '8703', '2026-03-15', '2026-02-24T12:00:00Z').tariffs).toEqual([])
  })
  it('as known before the entry into force was recorded, nothing applied even on a later day', () => {
    expect(ask('CA', 'CN', '8703', '2024-10-15', '2024-09-30T00:00:00Z').tariffs).toEqual([])
    expect(applied(ask('CA', 'CN', '8703', '2024-10-15', '2024-10-01T12:00:00Z'))).toEqual([['ca-cn-ev-surtax', 100]])
  })
  it('matches HS prefixes both ways: the chapter above and a national line below', () => {
    // The chapter: the surtax covers only some of its goods, so it is listed but adds nothing to all of chapter 87.
    expect(ask('CA', 'CN', '87', '2025-06-01')).toMatchObject({
      tariffs: [{ measureId: 'ca-cn-ev-surtax', coverage: 'part', additionalPercent: 0, appliedRate: { type: 'ad_valorem', percent: 100 } }],
      combinedAdditionalPercent: 0,
    })
    expect(applied(ask('CA', 'CN', '87038000', '2025-06-01'))).toEqual([['ca-cn-ev-surtax', 100]])
    expect(ask('CA', 'CN', '8701', '2025-06-01').tariffs).toEqual([])
    expect(ask('CA', 'JP', '8703', '2025-06-01').tariffs).toEqual([])
  })
})

describe('tariff oracle on the demo data: exemptions, erga omnes and stacking', () => {
  it('US IEEPA duties on Canadian energy: 10% inside the energy exemption, the USMCA carve-out only conditional', () => {
    const [energy] = ask('US', 'CA', '271012', '2025-06-01').tariffs
    expect(energy).toMatchObject({
      measureId: 'us-ca-ieepa-fentanyl',
      exemptionId: 'energy',
      additionalPercent: 10,
      conditionalExemptionIds: ['usmca-qualifying'],
    })
    expect(energy?.rate).toEqual({ type: 'ad_valorem', percent: 25 })
  })
  it('US duties on Canadian cars on 2025-09-01 stack: 35% IEEPA and the 25% s232 autos duty on every origin', () => {
    const answer = ask('US', 'CA', '8703', '2025-09-01')
    expect(applied(answer)).toEqual([
      ['us-all-autos-232-2025', 25],
      ['us-ca-ieepa-fentanyl', 35],
    ])
    expect(answer.combinedAdditionalPercent).toBe(60)
  })
  it('after the court struck the IEEPA duties down, the s122 surcharge replaced them on steel from Canada', () => {
    expect(applied(ask('US', 'CA', '7208', '2025-09-01'))).toEqual([
      ['us-all-steel-aluminum-232-2025', 50],
      ['us-ca-ieepa-fentanyl', 35],
    ])
    expect(applied(ask('US', 'CA', '7208', '2026-03-01'))).toEqual([
      ['us-all-s122-surcharge-2026', 10],
      ['us-all-steel-aluminum-232-2025', 50],
    ])
  })
  it("China's 2026 relief: canola meal at 0% inside the exemption, canola oil still at 100%", () => {
    expect(ask('CN', 'CA', '230641', '2026-06-01').tariffs).toMatchObject([
      { measureId: 'cn-ca-canola-oil-meal-peas', exemptionId: 'meal-peas-2026', additionalPercent: 0 },
    ])
    expect(applied(ask('CN', 'CA', '230641', '2026-01-15'))).toEqual([['cn-ca-canola-oil-meal-peas', 100]])
    expect(applied(ask('CN', 'CA', '1514', '2026-06-01'))).toEqual([['cn-ca-canola-oil-meal-peas', 100]])
  })
  it("China's canola seed anti-dumping: the 75.8% deposit in 2025, the 5.9% final duty in 2026", () => {
    expect(applied(ask('CN', 'CA', '120510', '2025-09-01'))).toEqual([['cn-ca-canola-ad', 75.8]])
    expect(applied(ask('CN', 'CA', '120510', '2026-06-01'))).toEqual([['cn-ca-canola-ad', 5.9]])
  })
})

describe('tariff oracle semantics on made-up events', () => {
  const at = (
    position: number,
    type: string,
    data: unknown,
    occurredAt: string,
    effectiveAt: string | null = null,
    recordedAt = `${occurredAt}T12:00:00Z`,
  ) => ({
    type,
    aggregateType: 'measure',
    aggregateId: 'm-x',
    position,
    occurredAt,
    effectiveAt,
    recordedAt,
    data,
  })
  const opening = at(
    1,
    'MeasureAnnounced',
    {
      kind: 'tariff',
      title: 'x',
      imposer: 'US',
      targets: { mode: 'all_except', excluded: ['MX'] },
      products: [{ code: '7601', nomenclature: 'HS2022' }],
      productText: 'aluminium',
      rate: { type: 'ad_valorem', percent: 10 },
      direction: 'restrictive',
      legalBasis: { jurisdiction: 'US', instrument: 'x' },
    },
    '2025-01-01',
  )
  const inForce = at(2, 'MeasureEnteredIntoForce', {}, '2025-01-01', '2025-02-01')
  const q = (hs: string, asOf: string, origin = 'CN', knownAt?: string) =>
    tariffsFromEvents(history, { imposer: 'US', origin, hs, asOf, ...(knownAt ? { knownAt } : {}) })
  // A rate change to 20% from 2025-06-01, then a correction learnt in 2026: it was 15% from that day; a suspension in between.
  const history = [
    opening,
    inForce,
    at(3, 'MeasureRateChanged', { after: { type: 'ad_valorem', percent: 20 } }, '2025-05-01', '2025-06-01'),
    at(4, 'MeasureSuspended', { until: '2025-09-01', reason: 'talks' }, '2025-08-01'),
    at(5, 'MeasureRateChanged', { after: { type: 'ad_valorem', percent: 15 } }, '2026-01-10', '2025-06-01'),
  ]

  it('erga omnes applies to every origin but the excluded ones and the imposer itself', () => {
    expect(q('7601', '2025-03-01').combinedAdditionalPercent).toBe(10)
    expect(q('7601', '2025-03-01', 'MX').tariffs).toEqual([])
    expect(q('7601', '2025-03-01', 'US').tariffs).toEqual([])
  })
  it('a suspension holds until its end (exclusive)', () => {
    expect(q('760110', '2025-08-15').tariffs).toEqual([])
    expect(q('760110', '2025-09-01').tariffs).toHaveLength(1)
  })
  it('a correction recorded later restates the past from its effective day, for what we know after recording it', () => {
    expect(q('7601', '2025-07-01').combinedAdditionalPercent).toBe(15)
    expect(q('7601', '2025-07-01', 'CN', '2025-12-31T00:00:00Z').combinedAdditionalPercent).toBe(20)
    expect(q('7601', '2025-05-31', 'CN', '2025-12-31T00:00:00Z').combinedAdditionalPercent).toBe(10)
  })
})
