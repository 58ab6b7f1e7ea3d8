import type { Db } from '@tradewatch/db'
import { sql } from 'kysely'
import type { RunningService, ServiceName } from './services.js'

export interface Sample {
  atMs: number
  rssMb: Partial<Record<ServiceName, number>>
  /** Old generation in use after the latest full collection, from each service's /metrics. */
  retainedMb: Partial<Record<ServiceName, number>>
  majorCollections: Partial<Record<ServiceName, number>>
  /** Store head minus the slowest projection checkpoint. */
  projectionLag: number
}

/** The store head and every consumer's checkpoint (projections, and `alerts`). */
export async function positions(db: Db): Promise<{ head: number; checkpoints: Record<string, number> }> {
  const { rows } = await sql<{ name: string; position: string }>`
    SELECT '' AS name, coalesce(max(position), 0) AS position FROM events
    UNION ALL SELECT name, position FROM consumer_checkpoints`.execute(db)
  const [store, ...rest] = rows
  return { head: Number(store?.position ?? 0), checkpoints: Object.fromEntries(rest.map((r) => [r.name, Number(r.position)])) }
}

const gauge = (text: string, name: string) => Number(new RegExp(`^tradewatch_${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN)

async function heapOf(service: RunningService): Promise<{ retainedMb: number; majorCollections: number } | undefined> {
  try {
    const text = await (await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(2_000) })).text()
    return { retainedMb: gauge(text, 'heap_retained_bytes') / 2 ** 20, majorCollections: gauge(text, 'gc_major_collections') }
  } catch {
    return undefined
  }
}

/** Samples each service's RSS and retained heap, and the projections' lag, every `everyMs` until stopped. */
export function startMonitor(db: Db, services: readonly RunningService[], everyMs: number) {
  const samples: Sample[] = []
  const started = performance.now()
  let stopped = false
  const sampling = (async () => {
    while (!stopped) {
      const sample: Sample = { atMs: performance.now() - started, rssMb: {}, retainedMb: {}, majorCollections: {}, projectionLag: 0 }
      for (const s of services) {
        sample.rssMb[s.name] = await s.rssMb().catch(() => undefined)
        const heap = await heapOf(s)
        sample.retainedMb[s.name] = heap?.retainedMb
        sample.majorCollections[s.name] = heap?.majorCollections
      }
      const { head, checkpoints } = await positions(db)
      const projections = Object.entries(checkpoints).filter(([name]) => name !== 'alerts')
      sample.projectionLag = head - Math.min(head, ...projections.map(([, p]) => p))
      samples.push(sample)
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  })()
  return {
    samples,
    async stop() {
      stopped = true
      await sampling
      return samples
    },
  }
}
