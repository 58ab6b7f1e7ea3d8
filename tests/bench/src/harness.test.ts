import { describe, expect, it } from 'vitest'
import { type Measurement, measure, met, ofLimit, type Result, table } from './harness.js'

const result = (name: string, runs: number[], extra: Partial<Result> = {}): Result => ({
  name,
  unit: 'events/s',
  median: [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number,
  min: Math.min(...runs),
  max: Math.max(...runs),
  runs,
  ...extra,
})

describe('bench harness', () => {
  it('runs a warm-up before the measured runs unless the measurement declines one', async () => {
    // Given two measurements counting their calls, one without a warm-up
    let calls = 0
    let coldCalls = 0
    const warm: Measurement = { name: 'warm', unit: 'x', run: async () => ++calls }
    const cold: Measurement = { name: 'cold', unit: 'x', warmUp: false, run: async () => ++coldCalls }

    // When each is measured three times
    const warmResult = await measure(warm, 3, () => {})
    const coldResult = await measure(cold, 3, () => {})

    // Then the warm-up's figure is not among the runs, and the cold one had none
    expect(warmResult.runs).toEqual([2, 3, 4])
    expect(coldResult.runs).toEqual([1, 2, 3])
    expect(coldResult).toMatchObject({ median: 2, min: 1, max: 3 })
  })

  it('judges the median against its target both ways', () => {
    expect(met(result('a', [7_000, 9_000, 8_000], { target: { value: 8_000, higherIsBetter: true } }))).toBe(true)
    expect(met(result('b', [300, 260, 251], { target: { value: 250, higherIsBetter: false } }))).toBe(false)
    expect(met(result('c', [1]))).toBeUndefined()
  })

  it('gives a figure as a share of its limit, and none when the limit was never measured', () => {
    const limits = new Map([['limit_pg_batch_insert_rows_per_s', 20_000]])
    expect(ofLimit(result('e2e', [5_000], { limit: 'limit_pg_batch_insert_rows_per_s' }), limits)).toBe(0.25)
    expect(ofLimit(result('relay', [5_000], { limit: 'limit_js_publish_per_s' }), limits)).toBeUndefined()
  })

  it('prints median, range, target, verdict and share of the limit in one row', () => {
    const row = table(
      [result('e2e_events_per_s', [4_000, 5_000, 6_000], { target: { value: 8_000, higherIsBetter: true }, limit: 'limit_x' })],
      new Map([['limit_x', 10_000]]),
    ).split('\n')[2]
    expect(row?.split(/\s{2,}/)).toEqual(['e2e_events_per_s', '5,000', '4,000–6,000', 'events/s', '≥ 8,000', 'NO', '50% of limit_x'])
  })
})
