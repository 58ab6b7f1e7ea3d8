import { type ConsumedMessage, errorCodes, hasCode } from '@tradewatch/event-store'
import { isTransient } from './transient.js'

/** Commits messages after checkpoint `from` (or dead-letters them all with `poison`); resolves to the new checkpoint. */
export type CommitFn = (from: number, messages: readonly ConsumedMessage[], poison?: { reason: string; attempts: number }) => Promise<number>

/** An error the event itself caused: neither an outage nor another instance moving the checkpoint. */
export const isPoison = (err: unknown): boolean => !isTransient(err) && !hasCode(err, errorCodes.checkpointConflict)

/**
 * Finds the events of a batch that keep failing by bisection: each half is committed on its own
 * (good halves in one transaction, so a single poison event costs about 2·log2(n) transactions,
 * not one per event); a half that fails is split again, and an event that fails alone is
 * dead-lettered in the transaction that moves the checkpoint past it. A projection is
 * deterministic, so an event that fails alone after every event before it committed fails for
 * good. Transient errors and checkpoint conflicts propagate: the consumer retries from the
 * stored checkpoint and nothing is skipped. `tries` is how many times these events already failed.
 */
export async function isolatePoison(commit: CommitFn, from: number, messages: readonly ConsumedMessage[], tries: number): Promise<number> {
  const middle = Math.ceil(messages.length / 2)
  let checkpoint = from
  for (const half of [messages.slice(0, middle), messages.slice(middle)]) {
    if (half.length > 0) checkpoint = await settle(commit, checkpoint, half, tries)
  }
  return checkpoint
}

async function settle(commit: CommitFn, from: number, messages: readonly ConsumedMessage[], tries: number): Promise<number> {
  try {
    return await commit(from, messages)
  } catch (err) {
    if (!isPoison(err)) throw err
    if (messages.length > 1) return isolatePoison(commit, from, messages, tries + 1)
    return commit(from, messages, { reason: String((err as Error)?.message ?? err), attempts: tries + 1 })
  }
}
