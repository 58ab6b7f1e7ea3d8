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
 * Group commit: appends queue up while a transaction is in flight, and the single writer loop
 * takes them all (up to `maxBatchEvents`) into the next transaction. No added latency: an
 * append arriving at an idle writer is written at once.
 */
export class GroupCommitter {
  readonly #queue: QueuedAppend[] = []
  #running: Promise<void> | undefined
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

  #kick() {
    if (this.#running) return
    this.#running = this.#drain().finally(() => {
      this.#running = undefined
      // A caller resumed by the last commit may have queued more before this ran.
      if (this.#queue.length > 0) this.#kick()
    })
  }

  stats(): AppendStats {
    return { ...this.#stats }
  }

  /** Resolves once the queue is empty and no transaction is in flight. */
  async flushed(): Promise<void> {
    while (this.#running) await this.#running
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) await this.#commit(this.#take())
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

  async #commit(group: QueuedAppend[]): Promise<void> {
    let outcomes: Awaited<ReturnType<typeof writeBatch>>
    try {
      outcomes = await writeBatch(
        this.db,
        group.map((g) => g.append),
      )
    } catch (err) {
      // An error the planner cannot foresee (a caller's event id reused, bad JSON): write each
      // append alone so only the offending one fails.
      if (group.length > 1) {
        this.logger?.warn({ err, appends: group.length }, 'group commit failed, retrying appends one by one')
        for (const item of group) await this.#commit([item])
      } else {
        group[0]?.reject(err as Error)
      }
      return
    }
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
