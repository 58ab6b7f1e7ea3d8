import { aggregateIdSchema, eventCatalogue, isTradeEventType, type LiveMeasureState, sourceSchema, tradeEventSchema, worldTimeSchema } from '@tradewatch/domain'
import { describe, expect, it } from 'vitest'
import { encodeTimeline } from './encoding/encode-timeline.js'
import { foldDemoEvents } from './fold-demo-events.js'
import { readDemoEvents, readTimeline } from './index.js'

const inputs = readDemoEvents()
const timeline = readTimeline()
const folded = foldDemoEvents(inputs)

const measure = (id: string) => {
  const state = folded.measures.get(id)
  if (!state || state.status === 'none') throw new Error(`no measure ${id}`)
  return state as LiveMeasureState
}
const agreement = (id: string) => {
  const state = folded.agreements.get(id)
  if (!state || state.status === 'none') throw new Error(`no agreement ${id}`)
  return state
}
const pct = (percent: number, form?: 'duty' | 'deposit') => ({ type: 'ad_valorem', percent, ...(form ? { form } : {}) })

describe('data/events.ndjson', () => {
  it('is what the generator writes from the timeline (regenerate with `pnpm --filter @tradewatch/demo-data generate`)', () => {
    expect(inputs).toEqual(JSON.parse(JSON.stringify(encodeTimeline(timeline))))
  })

  it.each(inputs.map((input, index) => [index + 1, input] as const))('line %i is a valid event input', (_, input) => {
    expect(isTradeEventType(input.type)).toBe(true)
    const idField = eventCatalogue[input.type].aggregateType === 'measure' ? 'measureId' : 'agreementId'
    expect(aggregateIdSchema.safeParse(input[idField]).success).toBe(true)
    expect(input[idField === 'measureId' ? 'agreementId' : 'measureId']).toBeUndefined()
    expect(worldTimeSchema.safeParse(input.occurredAt).success).toBe(true)
    if (input.effectiveAt !== undefined) expect(worldTimeSchema.safeParse(input.effectiveAt).success).toBe(true)
    expect(sourceSchema.safeParse(input.source).error).toBeUndefined()
    expect(tradeEventSchema.safeParse({ type: input.type, data: input.data }).error).toBeUndefined()
  })

  it('cites every source of the timeline, with its title', () => {
    const cited = new Set(inputs.map((input) => `${input.source.url} ${input.source.title}`))
    const missing = timeline.events.filter((entry) => !cited.has(`${entry.source.url} ${entry.source.title}`)).map((entry) => entry.id)
    expect(missing).toEqual([])
  })

  it('gives each fact its own fingerprint (source url, type, aggregate, data), so ingest never takes two for one', () => {
    const fingerprints = inputs.map((input) => JSON.stringify([input.source.url, input.type, input.measureId ?? input.agreementId, input.data]))
    expect(new Set(fingerprints).size).toBe(inputs.length)
  })

  it('decides every input, in file order, to exactly one event without a refusal', () => {
    expect(folded.recorded).toBe(inputs.length)
    expect(folded.measures.size).toBeGreaterThanOrEqual(30)
    expect(folded.agreements.size).toBeGreaterThanOrEqual(5)
  })
})

describe('the seeded answers', () => {
  it("Canada's surtax on Chinese EVs: 100% from 2024-10-01, the 2026 quota of 49,000 at 6.1%, revoked from 2026-03-01", () => {
    const ev = measure('ca-cn-ev-surtax')
    expect(ev).toMatchObject({ status: 'revoked', rate: pct(100), ending: { reason: 'deal' } })
    expect(ev.tariffLines).toHaveLength(23)
    expect(ev.quotas).toMatchObject([{ quotaId: 'ev-quota-2026', quantity: 49_000, inQuotaRate: pct(6.1), outQuotaRate: null }])
    const lines = inputs.filter((input) => input.measureId === 'ca-cn-ev-surtax')
    expect(lines.map((input) => [input.type, input.occurredAt, input.effectiveAt])).toEqual([
      ['MeasureAnnounced', '2024-08-26', undefined],
      ['MeasureScopeChanged', '2024-09-20', '2024-10-01'],
      ['MeasureEnteredIntoForce', '2024-10-01', undefined],
      ['TariffRateQuotaSet', '2026-01-16', undefined],
      ['MeasureLinked', '2026-01-16', undefined],
      ['MeasureRevoked', '2026-02-24', '2026-03-01'],
    ])
  })

  it("China's anti-dumping duty on Canadian canola: threatened, 75.8% deposit, final 5.9% duty", () => {
    expect(measure('cn-ca-canola-ad')).toMatchObject({ status: 'in_force', rate: pct(5.9, 'duty'), products: [{ code: '1205' }] })
  })

  it('the US IEEPA tariff on Canada: 35%, USMCA goods spared, struck down by the Supreme Court and replaced by the s122 surcharge', () => {
    const ieepa = measure('us-ca-ieepa-fentanyl')
    expect(ieepa).toMatchObject({ status: 'invalidated_by_court', rate: pct(35), ending: { reason: 'court_invalidated' } })
    expect(ieepa.exemptions.map((x) => x.exemptionId)).toEqual(['energy', 'usmca-qualifying', 'potash'])
    const s122 = measure('us-all-s122-surcharge-2026')
    expect(s122).toMatchObject({ status: 'in_force', rate: pct(10), targets: { mode: 'all' } })
    expect(s122.links).toContainEqual({ relation: 'replaces', otherMeasureId: 'us-ca-ieepa-fentanyl', agreementId: null })
  })

  it('US–Canada talks: suspended, resumed, suspended again', () => {
    expect(agreement('us-ca-trade-talks-2025')).toMatchObject({ status: 'talks_suspended', kind: 'negotiation', parties: ['US', 'CA'] })
    const talks = inputs.filter((input) => input.agreementId === 'us-ca-trade-talks-2025').map((input) => input.type)
    expect(talks).toEqual(['NegotiationsLaunched', 'TalksSuspended', 'TalksResumed', 'TalksSuspended'])
  })

  it("China's visa-free entry for Canadians is a liberalising travel measure, in force, and a commitment of the 2026 arrangement", () => {
    expect(measure('cn-ca-gb-visa-free-2026')).toMatchObject({ status: 'in_force', kind: 'travel_visa', direction: 'liberalising', rate: null })
    expect(agreement('ca-cn-2026-arrangement')).toMatchObject({ status: 'preliminary', kind: 'arrangement' })
    expect(agreement('ca-cn-2026-arrangement').commitments.map((c) => c.commitmentId)).toEqual(['ca-ev-quota', 'cn-farm-sea-relief', 'cn-visa-free'])
  })

  it('partial relief in 2026 is an exemption until 2027: lobster and crab, canola meal and peas', () => {
    expect(measure('cn-ca-pork-seafood')).toMatchObject({
      status: 'in_force',
      rate: pct(25),
      exemptions: [{ exemptionId: 'lobster-crab-2026', until: '2027-01-01' }],
    })
    expect(measure('cn-ca-canola-oil-meal-peas')).toMatchObject({
      status: 'in_force',
      rate: pct(100),
      exemptions: [{ exemptionId: 'meal-peas-2026', rateWithin: pct(0) }],
    })
  })

  it('USMCA is in force with its 2026 joint review scheduled; US metal duties are at 50%', () => {
    expect(agreement('usmca')).toMatchObject({ status: 'in_force', ratifiedBy: ['MX', 'US', 'CA'], nextReview: { reviewDate: '2026-07-01' } })
    expect(measure('us-all-steel-aluminum-232-2025')).toMatchObject({ status: 'in_force', rate: pct(50) })
  })

  it('the US and China: reciprocal duty cut to 10% at Geneva and then voided; fentanyl duty halved to 10%; China keeps 10% on US goods', () => {
    expect(measure('us-cn-ieepa-reciprocal-2025')).toMatchObject({ status: 'invalidated_by_court', rate: pct(10), targets: { countries: ['CN', 'HK', 'MO'] } })
    expect(measure('us-cn-ieepa-fentanyl')).toMatchObject({ status: 'invalidated_by_court', rate: pct(10) })
    expect(measure('cn-us-counter-tariff-2025')).toMatchObject({ status: 'in_force', rate: pct(10) })
    expect(measure('us-all-ieepa-reciprocal-2025').targets).toEqual({ mode: 'all_except', excluded: ['CA', 'MX', 'CN', 'HK', 'MO'] })
  })
})
