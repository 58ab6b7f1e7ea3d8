import type { Logger } from '@tradewatch/logger'
import pg from 'pg'
import { advisoryKey } from './advisory-key.js'
import { backoffMs, sleep } from './sleep.js'

/** A held session advisory lock. */
export interface Leadership {
  /** Resolves when the lock's connection dies: stop acting as leader at once. */
  readonly lost: Promise<void>
  release(): Promise<void>
}

export interface AcquireLeadershipOptions {
  databaseUrl: string
  /** Any name: hashed to the advisory lock key. */
  lock: string
  logger: Logger
  /** Aborting gives up waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal
}

// How often the leader checks that its lock connection is still alive.
const heartbeatMs = 2_000

/**
 * Waits (hot standby) until this process holds the session advisory lock `lock` on a dedicated
 * connection. Postgres frees the lock when that connection ends, so a standby takes over as soon
 * as a dead leader's session goes.
 */
export async function acquireLeadership({ databaseUrl, lock, logger, signal }: AcquireLeadershipOptions): Promise<Leadership> {
  const key = advisoryKey(lock)
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted()
    const client = new pg.Client({ connectionString: databaseUrl, application_name: `tradewatch-lock:${lock}`, keepAlive: true })
    client.on('error', () => {})
    try {
      // pg may never settle a connect that is ended midway: race the abort instead of awaiting it.
      await abortable(
        (async () => {
          await client.connect()
          await client.query('SELECT pg_advisory_lock($1::bigint)', [key])
        })(),
        signal,
      )
      logger.info({ lock }, 'leadership acquired')
      return hold(client, key, lock, logger)
    } catch (err) {
      // Ending the session also drops a lock won at the very moment of an abort.
      void client.end().catch(() => {})
      signal?.throwIfAborted()
      logger.warn({ err, lock, attempt }, 'waiting for leadership failed, retrying')
      await sleep(backoffMs(attempt), signal)
    }
  }
}

function abortable(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  work.catch(() => {})
  if (!signal) return work
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function hold(client: pg.Client, key: string, lock: string, logger: Logger): Leadership {
  let released = false
  let markLost: () => void = () => {}
  const lost = new Promise<void>((resolve) => {
    markLost = resolve
  })
  const onLost = (err?: unknown) => {
    clearInterval(timer)
    if (!released) logger.error({ err, lock }, 'leadership lost: lock connection died')
    markLost()
  }
  client.on('error', onLost)
  client.on('end', () => onLost())
  const timer = setInterval(() => {
    client.query('SELECT 1').catch((err) => {
      onLost(err)
      void client.end().catch(() => {})
    })
  }, heartbeatMs)
  timer.unref()
  return {
    lost,
    async release() {
      if (released) return
      released = true
      clearInterval(timer)
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {})
      await client.end().catch(() => {})
      markLost()
    },
  }
}
