import type { Targets } from '@tradewatch/domain'

/** One side of a pair as the relations tables key it: a party, or '*' (erga omnes) minus `excluded`. */
export interface Partner {
  partner: string
  excluded: string[]
}

export const ERGA_OMNES = '*'

/** The partners a measure's targets name; sorted exclusions so the same scope is always the same key. */
export function partnersOf(targets: Targets): Partner[] {
  if (targets.mode === 'listed') return targets.countries.map((partner) => ({ partner, excluded: [] }))
  return [{ partner: ERGA_OMNES, excluded: targets.mode === 'all_except' ? [...targets.excluded].sort() : [] }]
}
