import type { Db } from '@tradewatch/db'
import { sql } from 'kysely'
import type { RunningService, ServiceName } from './services.js'

export interface Sample {
  atMs: number
  rssMb: Partial<Record<ServiceName, number>>
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

/** Samples each service's RSS and the projections' lag every `everyMs` until stopped. */
export function startMonitor(db: Db, services: readonly RunningService[], everyMs: number) {
  const samples: Sample[] = []
  const started = performance.now()
  let stopped = false
  const sampling = (async () => {
    while (!stopped) {
      const rssMb: Sample['rssMb'] = {}
      for (const s of services) rssMb[s.name] = await s.rssMb().catch(() => undefined)
      const { head, checkpoints } = await positions(db)
      const projections = Object.entries(checkpoints).filter(([name]) => name !== 'alerts')
      samples.push({ atMs: performance.now() - started, rssMb, projectionLag: head - Math.min(head, ...projections.map(([, p]) => p)) })
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
