import { describe, expect, it } from 'vitest'
import type { Sample } from '../harness/monitor.js'
import { errorLines, memoryGrowth } from './soak.js'

const sample = (atMs: number, retained: number, rss = 150): Sample => ({
  atMs,
  rssMb: { ingest: rss },
  retainedMb: { ingest: retained },
  majorCollections: { ingest: 1 },
  projectionLag: 0,
})

describe('memoryGrowth', () => {
  it('given a retained heap that climbs during warm-up and then steps around a level, then the growth is about zero', () => {
    const level = [30, 30, 33, 33, 29, 29, 31, 31, 34, 28]
    const samples = [sample(0, 10), sample(5, 20), ...Array.from({ length: 40 }, (_, i) => sample(10 + i, level[i % 10] as number))]
    const ingest = memoryGrowth(samples, 10).ingest
    expect(ingest?.retained.maxMb).toBe(34)
    expect(Math.abs(ingest?.retained.growth ?? 1)).toBeLessThan(0.02)
  })

  it('given a retained heap that keeps climbing after warm-up, then the growth shows it', () => {
    const samples = Array.from({ length: 20 }, (_, i) => sample(10 + i, 30 + i))
    expect(memoryGrowth(samples, 10).ingest?.retained).toMatchObject({ startMb: 30, endMb: 49, growth: 0.633 })
  })

  it('given RSS sawing between collections over a flat retained heap, then the RSS is reported and the retained heap stays flat', () => {
    // The sawtooth ingest once showed: a fifth of it high at the end.
    const rss = [135, 200, 170, 140, 205, 160, 130, 190, 200, 205]
    const samples = Array.from({ length: 10 }, (_, i) => sample(i, 30, rss[i]))
    const ingest = memoryGrowth(samples, 0).ingest
    expect(ingest?.retained.growth).toBe(0)
    expect(ingest?.rss.maxMb).toBe(205)
    expect(ingest?.rss.growth).toBeGreaterThan(0.1)
  })

  it('skips samples a service did not answer', () => {
    const samples = [sample(0, 30), { ...sample(1, 30), retainedMb: {} }, sample(2, Number.NaN), sample(3, 33)]
    expect(memoryGrowth(samples, 0).ingest?.retained).toMatchObject({ startMb: 30, endMb: 33 })
  })
})

describe('errorLines', () => {
  it('keeps error and fatal JSON log lines only', () => {
    const lines = ['{"level":40,"msg":"slow"}', '{"level":50,"msg":"boom"}', '{"level":60,"msg":"dead"}', 'not json at level 50', '']
    expect(errorLines(lines)).toEqual(['{"level":50,"msg":"boom"}', '{"level":60,"msg":"dead"}'])
  })
})
