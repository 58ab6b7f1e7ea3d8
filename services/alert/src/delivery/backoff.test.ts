import { describe, expect, it } from 'vitest'
import { retryDelayMs } from './backoff.js'

describe('retry delay', () => {
  const options = { baseMs: 1_000, maxMs: 60_000 }

  it('doubles the ceiling per attempt up to the cap, drawing uniformly below it (full jitter)', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, options, () => 0.999999))).toEqual([999, 1_999, 3_999, 7_999])
    expect(retryDelayMs(20, options, () => 0.999999)).toBe(59_999)
    expect(retryDelayMs(5, options, () => 0)).toBe(0)
    expect(retryDelayMs(3, options, () => 0.5)).toBe(2_000)
  })

  it('spreads retries: 1,000 draws of attempt 6 cover the range', () => {
    const draws = Array.from({ length: 1_000 }, () => retryDelayMs(6, options))
    expect(Math.min(...draws)).toBeLessThan(3_200)
    expect(Math.max(...draws)).toBeGreaterThan(28_800)
    expect(Math.max(...draws)).toBeLessThan(32_000)
  })
})
