import type { Logger } from '@tradewatch/logger'
import pg from 'pg'

/** The channel the alerts table's insert trigger notifies (migration 2026-11-29T0940). */
export const alertsChannel = 'tradewatch_alerts'

/** Tells streams that alerts may have been committed, so each reads on from its cursor. */
export interface AlertNotifier {
  /** Calls `listener` on every wake-up until the returned function is called. */
  onAlerts(listener: () => void): () => void
  close(): Promise<void>
}

export interface ListenOptions {
  databaseUrl: string
  logger: Logger
  /** While the LISTEN connection is down, listeners are woken this often instead. */
  fallbackPollMs?: number
  reconnectMs?: number
}

/**
 * Postgres LISTEN on one dedicated connection per process, fanned out to every stream. When the
 * connection drops it reconnects, and wakes listeners on a timer meanwhile, so a stream
 * never waits on a notification that was sent while nobody listened.
 */
export function listenForAlerts({ databaseUrl, logger, fallbackPollMs = 1_000, reconnectMs = 1_000 }: ListenOptions): AlertNotifier {
  const listeners = new Set<() => void>()
  const wake = () => {
    for (const listener of listeners) listener()
  }
  // The connection in use or being opened; events from an older one are ignored.
  let client: pg.Client | undefined
  let closed = false
  let fallback: NodeJS.Timeout | undefined
  let retry: NodeJS.Timeout | undefined

  const startFallback = () => {
    fallback ??= setInterval(wake, fallbackPollMs)
  }
  const stopFallback = () => {
    clearInterval(fallback)
    fallback = undefined
  }

  const connect = async () => {
    if (closed) return
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'tradewatch-api-alerts-listen' })
    client = next
    next.on('notification', wake)
    next.on('error', (err) => {
      logger.warn({ err }, 'alert LISTEN connection failed; polling until it is back')
      lost(next)
    })
    next.on('end', () => lost(next))
    try {
      await next.connect()
      await next.query(`LISTEN ${alertsChannel}`)
      // close() ends the client it found, this one.
      if (closed) return
      stopFallback()
      // Alerts committed while nobody listened: let every stream look once.
      wake()
    } catch (err) {
      logger.warn({ err }, 'alert LISTEN connection could not be opened; retrying')
      lost(next)
    }
  }

  const lost = (which: pg.Client) => {
    if (client !== which) return
    client = undefined
    which.removeAllListeners('notification')
    void which.end().catch(() => {})
    if (closed) return
    startFallback()
    retry = setTimeout(() => {
      retry = undefined
      void connect()
    }, reconnectMs)
  }

  startFallback()
  void connect()

  return {
    onAlerts(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      closed = true
      stopFallback()
      clearTimeout(retry)
      listeners.clear()
      await client?.end().catch(() => {})
    },
  }
}

/** Without a database URL to LISTEN on: wake every `intervalMs` (streams then poll). */
export function pollForAlerts(intervalMs: number): AlertNotifier {
  const listeners = new Set<() => void>()
  const timer = setInterval(() => {
    for (const listener of listeners) listener()
  }, intervalMs)
  return {
    onAlerts(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      clearInterval(timer)
      listeners.clear()
    },
  }
}
