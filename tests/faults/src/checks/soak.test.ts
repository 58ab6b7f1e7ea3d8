import { describe, expect, it } from 'vitest'
import type { Sample } from '../harness/monitor.js'
import { errorLines, memoryGrowth } from './soak.js'

const sample = (atMs: number, ingest: number): Sample => ({ atMs, rssMb: { ingest }, projectionLag: 0 })

describe('memoryGrowth', () => {
  it('given RSS that climbs during warm-up and then saws around a level, then the growth is about zero', () => {
    const samples = [sample(0, 50), sample(1, 90), ...Array.from({ length: 20 }, (_, i) => sample(10 + i, i % 2 ? 100 : 110))]
    expect(memoryGrowth(samples, 10).ingest).toMatchObject({ growth: 0, maxMb: 110 })
  })

  it('given RSS that keeps climbing after warm-up, then the growth shows it', () => {
    const samples = Array.from({ length: 20 }, (_, i) => sample(10 + i, 100 + i * 5))
    expect(memoryGrowth(samples, 10).ingest?.growth).toBeGreaterThan(0.5)
  })
})

describe('errorLines', () => {
  it('keeps error and fatal JSON log lines only', () => {
    const lines = ['{"level":40,"msg":"slow"}', '{"level":50,"msg":"boom"}', '{"level":60,"msg":"dead"}', 'not json at level 50', '']
    expect(errorLines(lines)).toEqual(['{"level":50,"msg":"boom"}', '{"level":60,"msg":"dead"}'])
  })
})
