import { deepEqual } from '../equal.js'
import type { MeasureEventData } from './events.js'
import type { Product, Targets } from './fields.js'

const without = <T>(items: readonly T[], removed: readonly T[] = []) => items.filter((item) => !removed.some((r) => deepEqual(r, item)))
const union = <T>(items: readonly T[], added: readonly T[] = []) => [...items, ...without(added, items)]

/**
 * Applies added/removed targets to each target mode: removing from `all` leaves `all_except`,
 * adding to `all_except` takes a party off the excluded list.
 */
export const changeTargets = (targets: Targets, added: readonly string[] = [], removed: readonly string[] = []): Targets => {
  switch (targets.mode) {
    case 'listed':
      return { mode: 'listed', countries: without(union(targets.countries, added), removed) }
    case 'all':
      return removed.length === 0 ? targets : { mode: 'all_except', excluded: [...removed] }
    case 'all_except': {
      const excluded = union(without(targets.excluded, added), removed)
      return excluded.length === 0 ? { mode: 'all' } : { mode: 'all_except', excluded }
    }
  }
}

// A party can only be removed if the measure currently covers it.
const targetsNotCovered = (targets: Targets, removed: readonly string[]): string[] => {
  switch (targets.mode) {
    case 'listed':
      return removed.filter((party) => !targets.countries.includes(party))
    case 'all_except':
      return removed.filter((party) => targets.excluded.includes(party))
    case 'all':
      return []
  }
}

/** The parts of a removal that the current scope does not contain: removing them is a mistake, not a change. */
export const missingFromScope = (
  current: { products: readonly Product[]; tariffLines: readonly string[]; targets: Targets },
  change: MeasureEventData<'MeasureScopeChanged'>,
) => ({
  products: without(change.removedProducts ?? [], current.products),
  tariffLines: without(change.removedTariffLines ?? [], current.tariffLines),
  targets: targetsNotCovered(current.targets, change.removedTargets ?? []),
})

export const applyScopeChange = (
  current: { products: Product[]; tariffLines: string[]; targets: Targets; productText: string },
  change: MeasureEventData<'MeasureScopeChanged'>,
) => ({
  products: without(union(current.products, change.addedProducts), change.removedProducts),
  tariffLines: without(union(current.tariffLines, change.addedTariffLines), change.removedTariffLines),
  targets: changeTargets(current.targets, change.addedTargets, change.removedTargets),
  productText: change.productText ?? current.productText,
})
