import { decideMeasure } from '../measure/decide.js'
import { type MeasureEvent, type MeasureEventData, measureEventSchema } from '../measure/events.js'
import { evolveMeasure } from '../measure/evolve.js'
import { initialMeasureState } from '../measure/state.js'
import { deciderSpec } from './decider-spec.js'

/** Given/When/Then for the measure aggregate. */
export const measureSpec = deciderSpec({ decide: decideMeasure, evolve: evolveMeasure, initialState: initialMeasureState, schema: measureEventSchema })

/** Builds a measure event with the type checked against its data. */
export const measureEvent = <T extends MeasureEvent['type']>(type: T, data: MeasureEventData<T>) => ({ type, data }) as Extract<MeasureEvent, { type: T }>

/** A plain announced measure: Canada's 2024 surtax on Chinese EVs. Overrides replace fields. */
export const announced = (overrides: Partial<MeasureEventData<'MeasureAnnounced'>> = {}) =>
  measureEvent('MeasureAnnounced', {
    kind: 'surtax',
    title: 'Surtax on Chinese electric vehicles',
    imposer: 'CA',
    targets: { mode: 'listed', countries: ['CN'] },
    products: [{ code: '8703', nomenclature: 'HS2022' }],
    productText: 'Chinese-made electric and certain hybrid passenger cars',
    rate: { type: 'ad_valorem', percent: 100 },
    legalBasis: { jurisdiction: 'CA', instrument: 'China Surtax Order (2024)', authority: 'Customs Tariff s.53' },
    direction: 'restrictive',
    plannedEffectiveAt: '2024-10-01',
    ...overrides,
  })

export const threatened = (overrides: Partial<MeasureEventData<'MeasureThreatened'>> = {}) =>
  measureEvent('MeasureThreatened', {
    kind: 'tariff',
    title: 'Threatened 100% tariff on Canadian goods',
    imposer: 'US',
    targets: { mode: 'listed', countries: ['CA'] },
    products: [],
    productText: 'all Canadian goods',
    rate: { type: 'ad_valorem', percent: 100 },
    direction: 'restrictive',
    condition: 'if Canada makes a deal with China',
    statement: 'social_post',
    ...overrides,
  })

export const inForce = measureEvent('MeasureEnteredIntoForce', {})
export const suspended = (until?: string) => measureEvent('MeasureSuspended', { reason: '90-day reprieve', ...(until ? { until } : {}) })
export const reinstated = measureEvent('MeasureReinstated', {})
export const revoked = measureEvent('MeasureRevoked', { reason: 'repealed' })
export const expired = measureEvent('MeasureExpired', {})
export const invalidated = measureEvent('MeasureInvalidatedByCourt', { court: 'Supreme Court of the United States', refundStatus: 'pending' })
export const adValorem = (percent: number) => ({ type: 'ad_valorem' as const, percent })
