import { constants, PerformanceObserver } from 'node:perf_hooks'
import { getHeapSpaceStatistics } from 'node:v8'

/**
 * The old generation's bytes in use just after the latest full collection, and how many full
 * collections there were. RSS swings by a quarter as V8 sizes its heap; what survives a full
 * collection only grows when something is kept that should not be, so this is the leak signal.
 */
export interface RetainedHeap {
  bytes: number
  majorCollections: number
}

let watched: RetainedHeap | undefined

/** One observer per process, however many registries ask. */
export function retainedHeap(): RetainedHeap {
  if (watched) return watched
  const state: RetainedHeap = { bytes: oldGenerationUsed(), majorCollections: 0 }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue
      state.bytes = oldGenerationUsed()
      state.majorCollections += 1
    }
  }).observe({ entryTypes: ['gc'] })
  watched = state
  return state
}

// Entries arrive a tick after the collection; the young generation has refilled a little by then,
// the old one has not, so it alone is measured.
function oldGenerationUsed(): number {
  let bytes = 0
  for (const space of getHeapSpaceStatistics()) if (!space.space_name.startsWith('new')) bytes += space.space_used_size
  return bytes
}
