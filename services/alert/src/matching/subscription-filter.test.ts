import { type SubscriptionFilter, subscriptionFilterSchema } from '@tradewatch/subscriptions'
import { describe, expect, it } from 'vitest'
import { demoChange, demoChanges } from '../testing/demo-changes.js'
import type { Change } from './change.js'
import { matches } from './subscription-filter.js'

const all = demoChanges()
const c = (aggregateId: string, type: string, nth = 0) => demoChange(all, aggregateId, type, nth)

// Real cases from the demo data, each judged with the state just before and after it.
const evQuota = c('ca-cn-ev-surtax', 'TariffRateQuotaSet') // CA on CN, HS 8702–8704, duty level unchanged (100%)
const evRevoked = c('ca-cn-ev-surtax', 'MeasureRevoked') // −100 pp
const fentanylUp = c('us-cn-ieepa-fentanyl', 'MeasureRateChanged', 0) // US on CN, tariff, 10% → 20%: +10 pp
const fentanylDown = c('us-cn-ieepa-fentanyl', 'MeasureRateChanged', 1) // 20% → 10%: −10 pp
const reciprocalCut = c('us-cn-ieepa-reciprocal-2025', 'MeasureRateChanged') // 125% → 10%: −115 pp
const cvdFinal = c('eu-cn-bev-cvd', 'MeasureRateChanged') // 37.6% → 35.3%: −2.3 pp
const caFentanylUp = c('us-ca-ieepa-fentanyl', 'MeasureRateChanged') // US on CA, 25% → 35%
const steelAll = c('us-all-steel-aluminum-232-2025', 'MeasureAnnounced') // US on everyone
const baseline = c('us-all-ieepa-reciprocal-2025', 'MeasureAnnounced') // US on all except CA, MX
const baselineDropsChina = c('us-all-ieepa-reciprocal-2025', 'MeasureScopeChanged', 0) // removes CN from the scope
const caCnCommitment = c('ca-cn-2026-arrangement', 'CommitmentRecorded') // agreement CA–CN
const caCnLaunched = c('ca-cn-2026-arrangement', 'NegotiationsLaunched')
const phaseOneCommitment = c('us-cn-phase-one', 'CommitmentRecorded') // agreement US–CN
const usmcaSigned = c('usmca', 'AgreementSigned')

const filter = (f: unknown): SubscriptionFilter => subscriptionFilterSchema.parse(f)
/** Asserts which of `changes` the filter matches: `yes` must, every other must not. */
function expectMatches(f: unknown, yes: readonly Change[], no: readonly Change[]) {
  const parsed = filter(f)
  for (const change of yes) expect(matches(parsed, change), `${JSON.stringify(f)} must match ${change.event.aggregateId} ${change.event.type}`).toBe(true)
  for (const change of no) expect(matches(parsed, change), `${JSON.stringify(f)} must not match ${change.event.aggregateId} ${change.event.type}`).toBe(false)
}

describe('subscription filter matrix', () => {
  it('an empty filter matches every event', () => {
    for (const change of all) expect(matches(filter({}), change)).toBe(true)
  })

  it('eventTypes alone', () => {
    expectMatches({ eventTypes: ['MeasureRateChanged'] }, [fentanylUp, cvdFinal], [evQuota, evRevoked, caCnCommitment])
    expectMatches({ eventTypes: ['MeasureRevoked', 'CommitmentRecorded'] }, [evRevoked, caCnCommitment], [fentanylUp, caCnLaunched])
  })

  it('countries alone: either side of a measure (imposer or target, erga omnes included), any party of an agreement', () => {
    expectMatches({ countries: ['CA'] }, [evQuota, caFentanylUp, steelAll, caCnCommitment, usmcaSigned], [fentanylUp, baseline, phaseOneCommitment])
    expectMatches({ countries: ['CN'] }, [evQuota, fentanylUp, steelAll, baseline, caCnCommitment], [caFentanylUp, usmcaSigned])
  })

  it('imposers alone: measures only', () => {
    expectMatches({ imposers: ['US'] }, [fentanylUp, caFentanylUp, steelAll], [evQuota, cvdFinal, caCnCommitment, usmcaSigned])
  })

  it('origins alone: targets, honouring all_except, and the scope before a change that removes a target', () => {
    expectMatches({ origins: ['CN'] }, [evQuota, fentanylUp, steelAll, baseline, baselineDropsChina], [caFentanylUp, caCnCommitment])
    expectMatches({ origins: ['CA'] }, [caFentanylUp, steelAll], [baseline, evQuota, caCnCommitment])
  })

  it('hs alone: prefixes both ways', () => {
    expectMatches({ hs: ['87'] }, [evQuota, evRevoked], [fentanylUp, caCnCommitment])
    expectMatches({ hs: ['870380'] }, [evQuota, cvdFinal], [fentanylUp, caCnCommitment])
    expectMatches({ hs: ['03'] }, [], [evQuota, steelAll])
  })

  it('measureKinds alone', () => {
    expectMatches({ measureKinds: ['surtax'] }, [evQuota, evRevoked], [fentanylUp, cvdFinal, caCnCommitment])
    expectMatches({ measureKinds: ['countervailing', 'tariff'] }, [cvdFinal, fentanylUp], [evQuota])
  })

  it('agreementIds and parties alone: agreements only', () => {
    expectMatches({ agreementIds: ['ca-cn-2026-arrangement'] }, [caCnCommitment, caCnLaunched], [phaseOneCommitment, evQuota])
    expectMatches({ parties: ['CA'] }, [caCnCommitment, usmcaSigned], [phaseOneCommitment, evQuota, caFentanylUp])
  })

  it('minRateChangePp alone: the duty level before and after, either direction, at least N points', () => {
    expectMatches({ minRateChangePp: 10 }, [fentanylUp, fentanylDown, reciprocalCut, evRevoked, steelAll], [cvdFinal, evQuota, caCnCommitment])
    expectMatches({ minRateChangePp: 100 }, [reciprocalCut, evRevoked], [fentanylUp, steelAll])
  })

  it('rateDirection alone: increases or decreases of the duty level; any means no constraint', () => {
    expectMatches({ rateDirection: 'increase' }, [fentanylUp, caFentanylUp, steelAll], [fentanylDown, reciprocalCut, evRevoked, evQuota, caCnCommitment])
    expectMatches({ rateDirection: 'decrease' }, [fentanylDown, reciprocalCut, evRevoked, cvdFinal], [fentanylUp, evQuota])
    expectMatches({ rateDirection: 'any' }, [evQuota, caCnCommitment], [])
  })

  it('combined: every dimension must match', () => {
    expectMatches({ countries: ['CA'], measureKinds: ['surtax'], rateDirection: 'decrease' }, [evRevoked], [evQuota, caFentanylUp, fentanylDown])
    expectMatches({ imposers: ['US'], origins: ['CN'], minRateChangePp: 50 }, [reciprocalCut], [fentanylUp, fentanylDown, evRevoked])
    expectMatches({ imposers: ['US'], origins: ['CN'], minRateChangePp: 10, rateDirection: 'increase' }, [fentanylUp], [fentanylDown, reciprocalCut])
    expectMatches({ agreementIds: ['ca-cn-2026-arrangement'], eventTypes: ['CommitmentRecorded'] }, [caCnCommitment], [caCnLaunched, phaseOneCommitment])
    expectMatches({ hs: ['8703'], origins: ['CN'], eventTypes: ['MeasureRevoked'] }, [evRevoked], [evQuota])
    expectMatches({ countries: ['CN'], parties: ['CN'] }, [caCnCommitment, phaseOneCommitment], [evQuota, fentanylUp])
  })
})
