import { evolveMeasure, type LiveMeasureState, type MeasureEvent } from '@tradewatch/domain'
import { describe, expect, it } from 'vitest'
import { demoFacts } from '../testing/envelopes.js'
import { monthlyCounts } from './monthly-counts.js'

// A restrictive ad valorem surtax on listed targets, as the demo data announces it.
const announced = demoFacts(['ca-cn-ev-surtax'])[0] as { type: 'MeasureAnnounced'; data: Extract<MeasureEvent, { type: 'MeasureAnnounced' }>['data'] }
const state = evolveMeasure(
  { status: 'none' },
  { type: 'MeasureAnnounced', data: { ...announced.data, targets: { mode: 'listed', countries: ['CN', 'VN'] } } },
) as LiveMeasureState
const counts = (event: MeasureEvent, before: LiveMeasureState | null = state) =>
  monthlyCounts(event, before, evolveMeasure(before ?? state, event) as LiveMeasureState)
const direction = (list: { partner: string; direction: string }[]) => list.map((c) => `${c.partner}:${c.direction}`)

describe('monthlyCounts', () => {
  it('counts opening a measure in its direction and ending it in the opposite one, for every partner', () => {
    expect(direction(counts({ type: 'MeasureEnteredIntoForce', data: {} }))).toEqual(['CN:restrictive', 'VN:restrictive'])
    expect(direction(counts({ type: 'MeasureRevoked', data: { reason: 'deal' } }))).toEqual(['CN:liberalising', 'VN:liberalising'])
  })

  it('counts a rate change by whether the percentage went up or down, and not at all when it cannot be compared', () => {
    expect(direction(counts({ type: 'MeasureRateChanged', data: { after: { type: 'ad_valorem', percent: 150 } } }))).toEqual([
      'CN:restrictive',
      'VN:restrictive',
    ])
    expect(direction(counts({ type: 'MeasureRateChanged', data: { after: null } }))).toEqual(['CN:liberalising', 'VN:liberalising'])
    expect(counts({ type: 'MeasureRateChanged', data: { after: { type: 'specific', amount: 5, currency: 'CAD', unit: 'KGM' } } })).toEqual([])
  })

  it('counts a scope change per partner: added targets tighten, removed ones loosen, removed products loosen for the rest', () => {
    expect(direction(counts({ type: 'MeasureScopeChanged', data: { addedTargets: ['TH'], removedTargets: ['VN'] } }))).toEqual([
      'TH:restrictive',
      'VN:liberalising',
    ])
    const product = announced.data.products[0]
    if (!product) throw new Error('the demo surtax names its products')
    const narrowed = counts({ type: 'MeasureScopeChanged', data: { removedProducts: [product] } })
    expect(direction(narrowed)).toEqual(['CN:liberalising', 'VN:liberalising'])
  })

  it('does not count threats, postponements or links', () => {
    expect(counts({ type: 'MeasurePostponed', data: { newPlannedEffectiveAt: null } })).toEqual([])
    expect(counts({ type: 'MeasureLinked', data: { relation: 'part_of_thread', target: { aggregateType: 'measure', id: 'other' } } })).toEqual([])
  })
})
