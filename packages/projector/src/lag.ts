import type { Db } from '@tradewatch/db'
import type { Logger } from '@tradewatch/logger'

export interface LagMetrics {
  /** The event store's last position: what every projection is heading for. */
  head: { set(value: number): void }
  lag: { set(value: number, labels: { projection: string }): void }
}

export interface WatchLagOptions {
  db: Db
  names: readonly string[]
  metrics: LagMetrics
  logger: Logger
  /** Default 5 s: lag is for dashboards and alerts, not for control. */
  intervalMs?: number
}

/**
 * Sets each projection's lag (event store head minus its stored checkpoint) on a timer. Read
 * from Postgres, not from this process's projectors, so a hot standby reports the lag of the
 * leader it stands behind, and the lag includes events the relay has not published yet.
 */
export function watchLag(options: WatchLagOptions): { stop(): void } {
  const { db, names, metrics, logger, intervalMs = 5_000 } = options
  const refresh = async () => {
    const [head, checkpoints] = await Promise.all([
      db
        .selectFrom('events')
        .select((eb) => eb.fn.max('position').as('head'))
        .executeTakeFirst(),
      db.selectFrom('consumer_checkpoints').select(['name', 'position']).where('name', 'in', names).execute(),
    ])
    const headPosition = Number(head?.head ?? 0)
    const stored = new Map(checkpoints.map((c) => [c.name, Number(c.position)]))
    metrics.head.set(headPosition)
    for (const name of names) metrics.lag.set(headPosition - (stored.get(name) ?? 0), { projection: name })
  }
  const tick = () =>
    refresh().catch((err) => {
      // Postgres down: readiness reports it; the gauges keep their last values.
      logger.debug({ err }, 'lag refresh failed')
    })
  void tick()
  const timer = setInterval(tick, intervalMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
