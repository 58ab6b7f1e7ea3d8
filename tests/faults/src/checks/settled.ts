import { streams } from '@tradewatch/domain'
import { streamLastSequence, waitFor } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { positions } from '../harness/monitor.js'
import type { Stack } from '../harness/stack.js'

/** The seven projections and the alert matcher: every consumer the checks wait for. */
export const consumers = ['measures', 'measure-history', 'tariff-lines', 'agreements', 'timeline', 'event-archive', 'relations', 'alerts'] as const

/**
 * Waits until the system has done everything the recorded events ask: the relay published up to the store
 * head, every consumer's checkpoint is at it, and no webhook delivery is still pending. Resolves with the ms it took.
 */
export async function settled(stack: Stack, timeoutMs = 180_000): Promise<number> {
  const started = performance.now()
  const { db, nc, prefix } = stack.infra
  await waitFor(
    'the relay, every consumer and every webhook delivery to reach the store head',
    async () => {
      const { head, checkpoints } = await positions(db)
      if ((await streamLastSequence(nc, streams.events(prefix))) !== head) return false
      if (!consumers.every((name) => checkpoints[name] === head)) return false
      const { rows } = await sql<{ pending: string }>`SELECT count(*) AS pending FROM deliveries WHERE status = 'pending'`.execute(db)
      return rows[0]?.pending === '0'
    },
    timeoutMs,
    250,
  )
  return performance.now() - started
}
