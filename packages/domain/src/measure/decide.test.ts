import { describe, expect, it } from 'vitest'
import type { DomainErrorCode } from '../errors/codes.js'
import {
  adValorem,
  announced,
  expired,
  inForce,
  invalidated,
  measureEvent,
  measureSpec,
  reinstated,
  revoked,
  suspended,
  threatened,
} from '../testing/measure-fixtures.js'
import type { MeasureEvent } from './events.js'
import type { LiveMeasureState } from './state.js'

const live = (state: unknown) => state as LiveMeasureState

const postponed = measureEvent('MeasurePostponed', { newPlannedEffectiveAt: '2025-03-04', reason: '30-day pause' })
const rateTo = (percent: number, before?: number) =>
  measureEvent('MeasureRateChanged', { after: adValorem(percent), ...(before === undefined ? {} : { before: adValorem(before) }) })
const exemption = measureEvent('ExemptionGranted', { exemptionId: 'usmca-qualifying', originRule: 'USMCA-qualifying' })
const exemptionRevoked = measureEvent('ExemptionRevoked', { exemptionId: 'usmca-qualifying' })
const quota = measureEvent('TariffRateQuotaSet', {
  quotaId: 'ev-quota',
  quantity: 49_000,
  unit: 'NAR',
  period: 'calendar_year',
  inQuotaRate: adValorem(6.1),
  outQuotaRate: null,
})
const quotaChanged = measureEvent('TariffRateQuotaChanged', { quotaId: 'ev-quota', quantity: 70_000 })
const linked = measureEvent('MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: 'us-ca-ieepa-2025' } })
const scope = (data: Parameters<typeof measureEvent<'MeasureScopeChanged'>>[1]) => measureEvent('MeasureScopeChanged', data)

describe('decideMeasure: lifecycle transitions', () => {
  it('records a threat on a new measure', () => {
    expect(measureSpec.given([]).when(threatened()).then([threatened()]).status).toBe('threatened')
  })
  it('records an announcement on a new measure, keeping its definition', () => {
    const state = live(measureSpec.given([]).when(announced()).then([announced()]))
    expect(state).toMatchObject({ status: 'announced', imposer: 'CA', rate: adValorem(100), plannedEffectiveAt: '2024-10-01' })
  })
  it('announces a threatened measure, replacing the threat details', () => {
    const state = live(measureSpec.given([threatened()]).when(announced()).then([announced()]))
    expect(state).toMatchObject({ status: 'announced', condition: null, imposer: 'CA' })
  })
  it.each([
    ['threatened', [threatened()]],
    ['announced', [announced()]],
  ])('postpones a %s measure to a new planned date', (_, given) => {
    expect(live(measureSpec.given(given).when(postponed).then([postponed])).plannedEffectiveAt).toBe('2025-03-04')
  })
  it('records a postponement without a new date', () => {
    const open = measureEvent('MeasurePostponed', { newPlannedEffectiveAt: null })
    expect(live(measureSpec.given([announced()]).when(open).then([open])).plannedEffectiveAt).toBeNull()
  })
  it('puts an announced measure in force', () => {
    expect(measureSpec.given([announced()]).when(inForce).then([inForce]).status).toBe('in_force')
  })
  it('puts a postponed measure in force', () => {
    expect(measureSpec.given([announced(), postponed]).when(inForce).then([inForce]).status).toBe('in_force')
  })
  it.each([
    ['threatened', [threatened()]],
    ['announced', [announced()]],
    ['in force', [announced(), inForce]],
    ['suspended', [announced(), inForce, suspended()]],
  ])('changes the rate of a %s measure', (_, given) => {
    expect(
      live(
        measureSpec
          .given(given)
          .when(rateTo(6.1, 100))
          .then([rateTo(6.1, 100)]),
      ).rate,
    ).toEqual(adValorem(6.1))
  })
  it('changes a rate to unknown (null)', () => {
    const unknown = measureEvent('MeasureRateChanged', { after: null })
    expect(live(measureSpec.given([announced()]).when(unknown).then([unknown])).rate).toBeNull()
  })
  it('adds and removes products, tariff lines and targets', () => {
    const change = scope({
      addedProducts: [{ code: '8702', nomenclature: 'HS2022' }],
      removedProducts: [{ code: '8703', nomenclature: 'HS2022' }],
      addedTariffLines: ['87022010'],
      addedTargets: ['HK'],
      productText: 'Chinese-made electric buses',
    })
    const state = live(measureSpec.given([announced(), inForce]).when(change).then([change]))
    expect(state.products).toEqual([{ code: '8702', nomenclature: 'HS2022' }])
    expect(state.tariffLines).toEqual(['87022010'])
    expect(state.targets).toEqual({ mode: 'listed', countries: ['CN', 'HK'] })
    expect(state.productText).toBe('Chinese-made electric buses')
  })
  it('turns an erga omnes measure into all_except when a target is removed, and back to all', () => {
    const global = announced({ targets: { mode: 'all' } })
    const spare = scope({ removedTargets: ['GB'] })
    expect(live(measureSpec.given([global]).when(spare).then([spare])).targets).toEqual({ mode: 'all_except', excluded: ['GB'] })
    const unspare = scope({ addedTargets: ['GB'] })
    expect(live(measureSpec.given([global, spare]).when(unspare).then([unspare])).targets).toEqual({ mode: 'all' })
  })
  it('grants and revokes an exemption', () => {
    const state = live(measureSpec.given([announced(), inForce]).when(exemption).then([exemption]))
    expect(state.exemptions).toEqual([
      { exemptionId: 'usmca-qualifying', scope: { originRule: 'USMCA-qualifying' }, rateWithin: null, until: null, description: null },
    ])
    expect(live(measureSpec.given([announced(), inForce, exemption]).when(exemptionRevoked).then([exemptionRevoked])).exemptions).toEqual([])
  })
  it('grants an exemption on an announced measure (before it applies)', () => {
    expect(live(measureSpec.given([announced()]).when(exemption).then([exemption])).exemptions).toHaveLength(1)
  })
  it('sets and changes a tariff-rate quota', () => {
    const state = live(measureSpec.given([announced(), inForce]).when(quota).then([quota]))
    expect(state.quotas[0]).toMatchObject({ quotaId: 'ev-quota', quantity: 49_000, inQuotaRate: adValorem(6.1), allocation: null })
    const changed = live(measureSpec.given([announced(), inForce, quota]).when(quotaChanged).then([quotaChanged]))
    expect(changed.quotas[0]).toMatchObject({ quantity: 70_000, inQuotaRate: adValorem(6.1) })
  })
  it('suspends an in-force measure until a date', () => {
    const state = live(
      measureSpec
        .given([announced(), inForce])
        .when(suspended('2027-01-01'))
        .then([suspended('2027-01-01')]),
    )
    expect(state).toMatchObject({ status: 'suspended', suspension: { until: '2027-01-01', reason: '90-day reprieve' } })
  })
  it('extends a suspension with a new end date', () => {
    const state = live(
      measureSpec
        .given([announced(), inForce, suspended('2025-08-12')])
        .when(suspended('2025-11-10'))
        .then([suspended('2025-11-10')]),
    )
    expect(state.suspension?.until).toBe('2025-11-10')
  })
  it('reinstates a suspended measure', () => {
    const state = live(measureSpec.given([announced(), inForce, suspended()]).when(reinstated).then([reinstated]))
    expect(state).toMatchObject({ status: 'in_force', suspension: null })
  })
  it.each([
    ['threatened', [threatened()]],
    ['announced', [announced()]],
    ['in force', [announced(), inForce]],
    ['suspended', [announced(), inForce, suspended()]],
  ])('revokes a %s measure', (_, given) => {
    const withReason = measureEvent('MeasureRevoked', { reason: 'replaced', replacedBy: 'us-all-s122' })
    const state = live(measureSpec.given(given).when(withReason).then([withReason]))
    expect(state).toMatchObject({ status: 'revoked', ending: { reason: 'replaced', replacedBy: 'us-all-s122' }, suspension: null })
  })
  it.each([
    ['in force', [announced(), inForce]],
    ['suspended', [announced(), inForce, suspended()]],
  ])('expires a %s measure', (_, given) => {
    expect(measureSpec.given(given).when(expired).then([expired]).status).toBe('expired')
  })
  it.each([
    ['announced', [announced()]],
    ['in force', [announced(), inForce]],
    ['suspended', [announced(), inForce, suspended()]],
  ])('records a court invalidating a %s measure', (_, given) => {
    expect(live(measureSpec.given(given).when(invalidated).then([invalidated]))).toMatchObject({
      status: 'invalidated_by_court',
      ending: { reason: 'court_invalidated' },
    })
  })
  it.each([
    ['threatened', [threatened()]],
    ['in force', [announced(), inForce]],
    ['revoked', [announced(), revoked]],
  ])('links a %s measure to another', (_, given) => {
    expect(live(measureSpec.given(given).when(linked).then([linked])).links).toEqual([
      { relation: 'retaliation_for', otherMeasureId: 'us-ca-ieepa-2025', agreementId: null },
    ])
  })
  it('links a measure to the agreement commitment it implements', () => {
    const implementsDeal = measureEvent('MeasureLinked', {
      relation: 'implements_commitment',
      target: { aggregateType: 'agreement', id: 'ca-cn-2026-arrangement' },
    })
    expect(live(measureSpec.given([announced()]).when(implementsDeal).then([implementsDeal])).links[0]?.agreementId).toBe('ca-cn-2026-arrangement')
  })
})

describe('decideMeasure: no-ops', () => {
  const cases: [string, MeasureEvent[], MeasureEvent][] = [
    ['entering into force when in force', [announced(), inForce], inForce],
    ['a rate change to the current rate', [announced()], rateTo(100)],
    ['postponing to the date already planned', [announced()], measureEvent('MeasurePostponed', { newPlannedEffectiveAt: '2024-10-01' })],
    ['a scope change that adds what is there', [announced()], scope({ addedProducts: [{ code: '8703', nomenclature: 'HS2022' }], addedTargets: ['CN'] })],
    ['suspending with the same end date', [announced(), inForce, suspended('2027-01-01')], suspended('2027-01-01')],
    ['reinstating an in-force measure', [announced(), inForce], reinstated],
    ['granting an identical exemption', [announced(), exemption], exemption],
    ['setting an identical quota', [announced(), quota], quota],
    ['a quota change that changes no term', [announced(), quota], measureEvent('TariffRateQuotaChanged', { quotaId: 'ev-quota', quantity: 49_000 })],
    ['an existing link', [announced(), linked], linked],
    ['revoking a revoked measure', [announced(), revoked], revoked],
    ['expiring an expired measure', [announced(), inForce, expired], expired],
    ['invalidating an invalidated measure', [announced(), invalidated], invalidated],
  ]
  it.each(cases)('records nothing for %s', (_, given, when) => {
    measureSpec.given(given).when(when).then([])
  })
})

describe('decideMeasure: domain errors', () => {
  const cases: [string, MeasureEvent[], MeasureEvent, DomainErrorCode][] = [
    ['entry into force of a never-announced measure', [], inForce, 'MEASURE_NOT_ANNOUNCED'],
    ['a rate change on a new measure', [], rateTo(10), 'MEASURE_NOT_ANNOUNCED'],
    ['announcing twice', [announced()], announced(), 'MEASURE_ALREADY_ANNOUNCED'],
    ['threatening an announced measure', [announced()], threatened(), 'MEASURE_ALREADY_ANNOUNCED'],
    ['threatening twice', [threatened()], threatened(), 'MEASURE_ALREADY_ANNOUNCED'],
    ['entry into force of a mere threat', [threatened()], inForce, 'ILLEGAL_MEASURE_TRANSITION'],
    ['entry into force of a suspended measure', [announced(), inForce, suspended()], inForce, 'ILLEGAL_MEASURE_TRANSITION'],
    [
      'postponing an in-force measure',
      [announced(), inForce],
      measureEvent('MeasurePostponed', { newPlannedEffectiveAt: '2030-01-01' }),
      'ILLEGAL_MEASURE_TRANSITION',
    ],
    ['suspending an announced measure', [announced()], suspended(), 'ILLEGAL_MEASURE_TRANSITION'],
    ['reinstating an announced measure', [announced()], reinstated, 'ILLEGAL_MEASURE_TRANSITION'],
    ['expiring an announced measure', [announced()], expired, 'ILLEGAL_MEASURE_TRANSITION'],
    ['a court invalidating a threat', [threatened()], invalidated, 'ILLEGAL_MEASURE_TRANSITION'],
    ['an exemption on a threat', [threatened()], exemption, 'ILLEGAL_MEASURE_TRANSITION'],
    ['revoking an exemption on a threat', [threatened()], exemptionRevoked, 'ILLEGAL_MEASURE_TRANSITION'],
    ['a quota on a threat', [threatened()], quota, 'ILLEGAL_MEASURE_TRANSITION'],
    ['a quota change on a threat', [threatened()], quotaChanged, 'ILLEGAL_MEASURE_TRANSITION'],
    ['any change to a revoked measure', [announced(), revoked], rateTo(5), 'MEASURE_ENDED'],
    ['entry into force of a revoked measure', [announced(), revoked], inForce, 'MEASURE_ENDED'],
    ['revoking an expired measure', [announced(), inForce, expired], revoked, 'MEASURE_ENDED'],
    ['reinstating a measure struck down by a court', [announced(), inForce, invalidated], reinstated, 'MEASURE_ENDED'],
    ['a stale before rate', [announced()], rateTo(6.1, 25), 'RATE_MISMATCH'],
    ['removing a product not in scope', [announced()], scope({ removedProducts: [{ code: '8704', nomenclature: 'HS2022' }] }), 'SCOPE_MISMATCH'],
    ['removing a tariff line not in scope', [announced()], scope({ removedTariffLines: ['87038000'] }), 'SCOPE_MISMATCH'],
    ['removing a target not in scope', [announced()], scope({ removedTargets: ['MX'] }), 'SCOPE_MISMATCH'],
    ['removing the last target', [announced()], scope({ removedTargets: ['CN'] }), 'SCOPE_MISMATCH'],
    [
      'excluding a party already excluded',
      [announced({ targets: { mode: 'all_except', excluded: ['GB'] } })],
      scope({ removedTargets: ['GB'] }),
      'SCOPE_MISMATCH',
    ],
    [
      'granting an exemption id again with other terms',
      [announced(), exemption],
      measureEvent('ExemptionGranted', { exemptionId: 'usmca-qualifying', originRule: 'CUSMA' }),
      'EXEMPTION_CONFLICT',
    ],
    ['revoking an unknown exemption', [announced(), inForce], exemptionRevoked, 'EXEMPTION_NOT_FOUND'],
    ['setting a quota id again with other terms', [announced(), quota], { ...quota, data: { ...quota.data, quantity: 1 } }, 'QUOTA_CONFLICT'],
    ['changing an unknown quota', [announced(), inForce], quotaChanged, 'QUOTA_NOT_FOUND'],
  ]
  it.each(cases)('refuses %s', (_, given, when, code) => {
    measureSpec.given(given).when(when).thenThrows(code)
  })

  it('says what was expected and what was found, with structured details', () => {
    const error = measureSpec.given([announced()]).when(suspended()).thenThrows('ILLEGAL_MEASURE_TRANSITION')
    expect(error.message).toBe('Cannot record MeasureSuspended: expected the measure to be in_force or suspended, found announced')
    expect(error.details).toEqual({ eventType: 'MeasureSuspended', status: 'announced', allowed: ['in_force', 'suspended'] })
  })
  it('names both rates on a mismatch', () => {
    const error = measureSpec.given([announced()]).when(rateTo(6.1, 25)).thenThrows('RATE_MISMATCH')
    expect(error.details).toMatchObject({ currentRate: adValorem(100), before: adValorem(25) })
  })
})
