import { streams } from '@tradewatch/domain'
import type { Stack } from '../harness/stack.js'
import { sleep } from '../harness/use-stack.js'
import { alertsReachedOnce } from './alerts.js'
import { storeHoldsEachOnce } from './event-store.js'
import { readModelsEqualRebuild } from './read-models.js'
import { settled } from './settled.js'
import { streamHoldsEachInOrder } from './stream-order.js'

export interface Findings {
  /** Services that exited on their own (the suite restarts only the ones it killed). */
  crashes: string[]
  refused: unknown[]
  store: string[]
  stream: string[]
  alerts: string[]
  readModels: string[]
}

export const clean: Findings = { crashes: [], refused: [], store: [], stream: [], alerts: [], readModels: [] }

/**
 * After every load stopped: waits until everything settled, then runs every check against all the
 * loads so far. Each list in `findings` is empty when its check holds. `readModels: false` skips the
 * rebuild comparison (a soak's hundreds of thousands of rows are too many to hold twice).
 */
export async function checkEverything(stack: Stack, { readModels = true } = {}) {
  const crashes = () => Object.values(stack.services).flatMap((s) => s.crashes)
  // A service that exits on its own stalls everything: say so at once rather than after the settle timeout.
  let watching = true
  const crashed = (async () => {
    for (; watching; await sleep(500)) if (crashes().length > 0) throw new Error(`services exited on their own:\n${crashes().join('\n')}`)
  })()
  const settleMs = await Promise.race([settled(stack), crashed]).finally(() => {
    watching = false
  })
  const { db, nc, prefix, databaseUrl } = stack.infra
  const accepted = new Set(stack.loads.flatMap((l) => [...l.accepted]))
  const alerts = await alertsReachedOnce(db, stack.receiver, stack.subscriptions)
  const findings: Findings = {
    crashes: crashes(),
    refused: stack.loads.flatMap((l) => l.refused).slice(0, 5),
    store: await storeHoldsEachOnce(db, accepted),
    stream: await streamHoldsEachInOrder(nc, streams.events(prefix), db),
    alerts: alerts.problems,
    readModels: readModels ? await readModelsEqualRebuild(databaseUrl) : [],
  }
  return {
    findings,
    settleMs: Math.round(settleMs ?? 0),
    events: accepted.size,
    alerts: alerts.expected,
    retries: stack.loads.reduce((n, l) => n + l.retries, 0),
    repeatsAbsorbed: stack.receiver.repeats,
  }
}
