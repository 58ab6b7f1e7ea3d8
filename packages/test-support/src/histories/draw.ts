import fc from 'fast-check'

const integers = new Map<string, fc.Arbitrary<number>>()

/**
 * Draws values from fast-check's `gen()`, so a history is a pure function of the fast-check seed. Arbitraries are
 * cached: a 10,000-event history draws a few hundred thousand values.
 */
export class Draw {
  constructor(private readonly g: fc.GeneratorValue) {}

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    const key = `${min}:${max}`
    let arbitrary = integers.get(key)
    if (arbitrary === undefined) {
      arbitrary = fc.integer({ min, max })
      integers.set(key, arbitrary)
    }
    const chosen = arbitrary
    return this.g(() => chosen)
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.int(0, 9_999) < p * 10_000
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[this.int(0, items.length - 1)] as T
  }

  /** Between `min` and `max` distinct items, in their original order. */
  some<T>(items: readonly T[], min: number, max: number): T[] {
    const count = Math.min(items.length, this.int(min, max))
    const chosen = new Set<number>()
    while (chosen.size < count) chosen.add(this.int(0, items.length - 1))
    return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T)
  }
}
