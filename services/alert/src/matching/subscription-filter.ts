import type { Targets } from '@tradewatch/domain'
import type { SubscriptionFilter } from '@tradewatch/subscriptions'
import { agreementOf, type Change, type LiveMeasure, measureOf, rateChangePp } from './change.js'

const some = <T>(wanted: readonly T[] | undefined, test: (value: T) => boolean): boolean => wanted === undefined || wanted.some(test)

/** True when `targets` covers `party`: listed, or everyone (but the excluded). */
const covers = (targets: Targets, party: string): boolean => {
  switch (targets.mode) {
    case 'listed':
      return targets.countries.includes(party)
    case 'all':
      return true
    case 'all_except':
      return !targets.excluded.includes(party)
  }
}

/** HS codes match by prefix both ways: a subscription to 87 sees a measure on 870380, one to 870380 sees a measure on 87. */
const hsOverlap = (prefix: string, code: string) => code.startsWith(prefix) || prefix.startsWith(code)

const productCodes = (measure: LiveMeasure) => [...measure.products.map((p) => p.code), ...measure.tariffLines]

/**
 * Whether a subscription wants this change. Every given dimension must match (AND), any value
 * within one does (OR). Scope dimensions look at the aggregate just before and just after the
 * event, so a change that takes a country or product out of a measure still reaches those who
 * watch it. Dimensions an aggregate does not have (an imposer for an agreement, parties for a
 * measure) do not match it.
 */
export function matches(filter: SubscriptionFilter, change: Change): boolean {
  const { event } = change
  const measures = [measureOf(change.before), measureOf(change.after)].filter((m) => m !== undefined)
  const agreements = [agreementOf(change.before), agreementOf(change.after)].filter((a) => a !== undefined)
  if (!some(filter.eventTypes, (type) => type === event.type)) return false
  if (!some(filter.countries, (c) => measures.some((m) => m.imposer === c || covers(m.targets, c)) || agreements.some((a) => a.parties.includes(c))))
    return false
  if (!some(filter.imposers, (c) => measures.some((m) => m.imposer === c))) return false
  if (!some(filter.origins, (c) => measures.some((m) => covers(m.targets, c)))) return false
  if (!some(filter.hs, (prefix) => measures.some((m) => productCodes(m).some((code) => hsOverlap(prefix, code))))) return false
  if (!some(filter.measureKinds, (kind) => measures.some((m) => m.kind === kind))) return false
  if (!some(filter.agreementIds, (id) => event.aggregateType === 'agreement' && event.aggregateId === id)) return false
  if (!some(filter.parties, (c) => agreements.some((a) => a.parties.includes(c)))) return false
  return matchesRateChange(filter, change)
}

/** Thresholds: only a measure whose duty level this event moved, by at least the points asked, in the direction asked. */
function matchesRateChange(filter: SubscriptionFilter, change: Change): boolean {
  const direction = filter.rateDirection ?? 'any'
  if (filter.minRateChangePp === undefined && direction === 'any') return true
  const pp = rateChangePp(change)
  if (pp === undefined || pp === 0) return false
  if (direction === 'increase' && pp < 0) return false
  if (direction === 'decrease' && pp > 0) return false
  return Math.abs(pp) >= (filter.minRateChangePp ?? 0)
}
