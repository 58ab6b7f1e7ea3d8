import { describe, expect, it } from 'vitest'
import { decideAgreement } from './agreement/decide.js'
import { agreementEventSchema } from './agreement/events.js'
import { evolveAgreement } from './agreement/evolve.js'
import { type AgreementState, initialAgreementState } from './agreement/state.js'
import { decideMeasure } from './measure/decide.js'
import { measureEventSchema } from './measure/events.js'
import { evolveMeasure } from './measure/evolve.js'
import { initialMeasureState, type MeasureState } from './measure/state.js'
import { realAgreementCases } from './testing/real-cases/agreements.js'
import { realMeasureCases } from './testing/real-cases/measures.js'

describe('real measures from the trade timeline', () => {
  it('covers at least ten measures', () => {
    expect(realMeasureCases.length).toBeGreaterThanOrEqual(10)
  })
  it.each(realMeasureCases.map((c) => [c.measureId, c] as const))('%s: every event is valid, decides as itself and folds to the expected state', (_, real) => {
    let state: MeasureState = initialMeasureState
    for (const event of real.events) {
      expect(measureEventSchema.safeParse(event).error).toBeUndefined()
      expect(decideMeasure(state, event)).toEqual([event])
      state = evolveMeasure(state, event)
    }
    expect(state).toMatchObject(real.expected)
  })
})

describe('real agreements and talks from the trade timeline', () => {
  it.each(realAgreementCases.map((c) => [c.agreementId, c] as const))(
    '%s: every event is valid, decides as itself and folds to the expected state',
    (_, real) => {
      let state: AgreementState = initialAgreementState
      for (const event of real.events) {
        expect(agreementEventSchema.safeParse(event).error).toBeUndefined()
        expect(decideAgreement(state, event)).toEqual([event])
        state = evolveAgreement(state, event)
      }
      expect(state).toMatchObject(real.expected)
    },
  )
})

describe('state details the real cases need', () => {
  const final = (measureId: string) => {
    const real = realMeasureCases.find((c) => c.measureId === measureId)
    if (!real) throw new Error(`no case ${measureId}`)
    return real.events.reduce(evolveMeasure, initialMeasureState)
  }
  it('keeps the USMCA exemption and the reduced energy and potash rates on the IEEPA tariff on Canada', () => {
    const state = final('us-ca-ieepa-2025')
    if (state.status === 'none') throw new Error('not folded')
    expect(state.exemptions.map((x) => [x.exemptionId, x.rateWithin])).toEqual([
      ['energy', { type: 'ad_valorem', percent: 10 }],
      ['usmca-qualifying', null],
      ['potash', { type: 'ad_valorem', percent: 10 }],
    ])
  })
  it('keeps the 2026 EV quota on the Canadian surtax', () => {
    const state = final('ca-cn-ev-surtax')
    if (state.status === 'none') throw new Error('not folded')
    expect(state.quotas).toMatchObject([{ quotaId: 'ev-quota-2026', quantity: 49_000, inQuotaRate: { percent: 6.1 }, outQuotaRate: null }])
  })
})
