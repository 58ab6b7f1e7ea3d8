import type { Db } from '@tradewatch/db'
import type { Logger } from '@tradewatch/logger'
import type { PendingAppend } from './plan-batch.js'
import type { AppendResult, AppendStats } from './types.js'
import { writeBatch } from './write-batch.js'

interface QueuedAppend {
  append: PendingAppend
  resolve: (result: AppendResult) => void
  reject: (error: Error) => void
}

/**
 * Group commit: appends queue up while a transaction is in flight, and the next transaction
 * takes them all (up to `maxBatchEvents`). No added latency: an append arriving at an idle
 * committer is written at once.
 *
 * Two writers overlap: while one writes its group, the other already waits for the append lock
 * in an open transaction, and takes the queue only once it holds the lock. Postgres grants it
 * the moment the first commits, so the next group starts without a round trip for the lock,
 * and holds everything that arrived until then.
 */
export class GroupCommitter {
  readonly #queue: QueuedAppend[] = []
  /** Writers running; at most one of them waits for the lock. */
  #writers = 0
  #waiting = false
  #idle: (() => void)[] = []
  readonly #stats: AppendStats = { transactions: 0, appends: 0, events: 0 }

  constructor(
    private readonly db: Db,
    private readonly maxBatchEvents: number,
    private readonly logger?: Logger,
  ) {}

  submit(append: PendingAppend): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ append, resolve, reject })
      this.#kick()
    })
  }

  stats(): AppendStats {
    return { ...this.#stats }
  }

  /** Resolves once the queue is empty and no transaction is in flight. */
  async flushed(): Promise<void> {
    while (this.#writers > 0) await new Promise<void>((resolve) => this.#idle.push(resolve))
  }

  // A writer for what is queued, unless one already waits for the lock and will take it.
  #kick() {
    if (this.#waiting || this.#writers >= 2 || this.#queue.length === 0) return
    this.#writers += 1
    this.#waiting = true
    void this.#write().finally(() => {
      this.#writers -= 1
      // Callers resumed by this commit may have queued more.
      this.#kick()
      if (this.#writers === 0) for (const resolve of this.#idle.splice(0)) resolve()
    })
  }

  async #write(): Promise<void> {
    let group: QueuedAppend[] | undefined
    const claim = () => {
      this.#waiting = false
      group = this.#take()
      // The lock is ours: what arrives from now on is for the next writer to wait with.
      this.#kick()
      return group.map((g) => g.append)
    }
    try {
      const outcomes = await writeBatch(this.db, claim)
      this.#settle(group ?? [], outcomes)
    } catch (err) {
      // Failed before the lock (Postgres away): the queue's appends are tried alone, and fail
      // as they always did, instead of waiting for a writer that would fail the same way.
      if (!group) claim()
      await this.#retryAlone(group ?? [], err as Error)
    }
  }

  // An error the planner cannot foresee (a caller's event id reused, bad JSON): write each
  // append alone so only the offending one fails.
  async #retryAlone(group: QueuedAppend[], err: Error) {
    if (group.length <= 1) {
      group[0]?.reject(err)
      return
    }
    this.logger?.warn({ err, appends: group.length }, 'group commit failed, retrying appends one by one')
    for (const item of group) {
      try {
        this.#settle([item], await writeBatch(this.db, () => [item.append]))
      } catch (itemErr) {
        item.reject(itemErr as Error)
      }
    }
  }

  #take(): QueuedAppend[] {
    let events = 0
    let count = 0
    for (const item of this.#queue) {
      // Always take at least one, even when it alone exceeds the limit.
      if (count > 0 && events + item.append.events.length > this.maxBatchEvents) break
      events += item.append.events.length
      count += 1
    }
    return this.#queue.splice(0, count)
  }

  #settle(group: QueuedAppend[], outcomes: Awaited<ReturnType<typeof writeBatch>>) {
    this.#stats.transactions += 1
    for (const [i, item] of group.entries()) {
      const outcome = outcomes[i]
      if (!outcome) {
        item.reject(new Error('unreachable: no outcome for a queued append'))
      } else if (!outcome.ok) {
        item.reject(outcome.error)
      } else {
        this.#stats.appends += 1
        this.#stats.events += outcome.result.events.filter((e) => e.status === 'appended').length
        item.resolve(outcome.result)
      }
    }
  }
}
