import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { MetricsRegistry } from './metrics.js'
import { retainedHeap } from './retained-heap.js'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
// The observer hears of a collection a tick after it.
const collect = async () => {
  gc()
  await new Promise((resolve) => setTimeout(resolve, 20))
}
const mb = (bytes: number) => bytes / 2 ** 20

describe('retained heap', () => {
  it('given 32 MB kept, then a full collection finds it retained, and the next one after it is let go does not', async () => {
    const heap = retainedHeap()
    await collect()
    const before = heap.bytes
    const collections = heap.majorCollections
    // 32 arrays of 2^17 small integers, 8 bytes each: 1 MB apiece, all on the V8 heap.
    let kept: number[][] | undefined = Array.from({ length: 32 }, (_, i) => new Array<number>(2 ** 17).fill(i))
    await collect()
    expect(kept).toHaveLength(32)
    expect(mb(heap.bytes - before)).toBeGreaterThan(28)
    expect(mb(heap.bytes - before)).toBeLessThan(40)
    kept = undefined
    await collect()
    expect(mb(heap.bytes - before)).toBeLessThan(4)
    expect(heap.majorCollections).toBe(collections + 2)
  })

  it('is one watcher per process, exposed by every registry', async () => {
    expect(retainedHeap()).toBe(retainedHeap())
    await collect()
    const text = new MetricsRegistry().render()
    expect(text).toMatch(/^tradewatch_heap_retained_bytes [1-9]\d+$/m)
    expect(text).toMatch(/^tradewatch_gc_major_collections [1-9]\d*$/m)
  })
})
