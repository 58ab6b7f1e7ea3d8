import { describe, expect, it } from 'vitest'
import { ReadAhead } from './read-ahead.js'

/** A store of positions 1..`head`, read `size` at a time, recording where each read started. */
function store(head: number, size: number) {
  const reads: number[] = []
  const read = async (after: number) => {
    reads.push(after)
    return Array.from({ length: Math.max(0, Math.min(size, head - after)) }, (_, i) => ({ position: after + i + 1 }))
  }
  return { reads, read }
}

describe('ReadAhead', () => {
  it('reads each batch once for every reader, each at its own pace, in order', async () => {
    const { reads, read } = store(100, 10)
    const batches = new ReadAhead(3, read, 0, 2)
    const seen = await Promise.all(
      [0, 1, 5].map(async (delayMs, reader) => {
        const positions: number[] = []
        for (let index = 0; ; index++) {
          const batch = await batches.batch(index)
          if (batch.length === 0) break
          await new Promise((resolve) => setTimeout(resolve, delayMs))
          positions.push(...batch.map((e) => e.position))
          batches.done(reader, index)
        }
        batches.done(reader, Number.POSITIVE_INFINITY)
        return positions
      }),
    )
    const all = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(seen).toEqual([all, all, all])
    expect(reads).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
  })

  it('holds a reader that is `ahead` batches past the slowest until the slowest moves on', async () => {
    const { read } = store(100, 10)
    const batches = new ReadAhead(2, read, 0, 1)
    let reached = -1
    const fast = (async () => {
      for (let index = 0; index < 5; index++) {
        await batches.batch(index)
        reached = index
        batches.done(0, index)
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(reached).toBe(1)
    batches.done(1, 0)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(reached).toBe(2)
    batches.done(1, Number.POSITIVE_INFINITY)
    await fast
    expect(reached).toBe(4)
  })
})
