import type { Direction, LiveMeasureState, MeasureEvent, Rate } from '@tradewatch/domain'
import { type Partner, partnersOf } from './partners.js'

export interface MonthlyCount extends Partner {
  direction: Direction
}

const opposite = (direction: Direction): Direction => (direction === 'restrictive' ? 'liberalising' : 'restrictive')
// A specific rate cannot be compared with a percentage; no rate at all is no additional duty.
const percentOf = (rate: Rate | null | undefined) => (rate == null ? 0 : rate.type === 'ad_valorem' ? rate.percent : undefined)

/**
 * Which pairs a measure event counts for in its month, and as restrictive or liberalising. An event counts
 * when it opens or changes what applies between the pair, in the direction of its effect on trade:
 * - the measure's own direction: MeasureAnnounced, MeasureEnteredIntoForce, MeasureReinstated, ExemptionRevoked,
 *   a raised ad valorem rate, added targets (for those partners), added products or tariff lines;
 * - the opposite direction (lifting a restrictive measure liberalises): MeasureSuspended, MeasureRevoked,
 *   MeasureExpired, MeasureInvalidatedByCourt, ExemptionGranted, a lowered rate, removed targets (for those
 *   partners), products or tariff lines only removed;
 * - not counted: threats, postponements, links, quotas, a product text rewording, and a rate change that
 *   cannot be compared (specific against ad valorem) or leaves the percentage as it was.
 */
export function monthlyCounts(event: MeasureEvent, before: LiveMeasureState | null, after: LiveMeasureState): MonthlyCount[] {
  const all = (direction: Direction) => partnersOf(after.targets).map((p) => ({ ...p, direction }))
  switch (event.type) {
    case 'MeasureAnnounced':
    case 'MeasureEnteredIntoForce':
    case 'MeasureReinstated':
    case 'ExemptionRevoked':
      return all(after.direction)
    case 'MeasureSuspended':
    case 'MeasureRevoked':
    case 'MeasureExpired':
    case 'MeasureInvalidatedByCourt':
    case 'ExemptionGranted':
      return all(opposite(after.direction))
    case 'MeasureRateChanged': {
      const [from, to] = [percentOf(before?.rate), percentOf(after.rate)]
      if (from === undefined || to === undefined || from === to) return []
      return all(to > from ? after.direction : opposite(after.direction))
    }
    case 'MeasureScopeChanged':
      return scopeCounts(event.data, after)
    default:
      return []
  }
}

function scopeCounts(change: Extract<MeasureEvent, { type: 'MeasureScopeChanged' }>['data'], after: LiveMeasureState): MonthlyCount[] {
  const added = change.addedTargets ?? []
  const removed = change.removedTargets ?? []
  const counts: MonthlyCount[] = [
    ...added.map((partner) => ({ partner, excluded: [], direction: after.direction })),
    ...removed.map((partner) => ({ partner, excluded: [], direction: opposite(after.direction) })),
  ]
  const widened = Boolean(change.addedProducts?.length || change.addedTariffLines?.length)
  const narrowed = Boolean(change.removedProducts?.length || change.removedTariffLines?.length)
  if (!widened && !narrowed) return counts
  const direction = widened ? after.direction : opposite(after.direction)
  // The partners just added are counted once, above.
  const kept = partnersOf(after.targets).filter((p) => !added.includes(p.partner))
  return [...counts, ...kept.map((p) => ({ ...p, direction }))]
}
