import type { ConsumedMessage } from '@tradewatch/event-store'
import type { Lane } from './lane.js'

/**
 * The batches a lane has accepted but not yet committed, applied in order in the background, so a lane that
 * is ahead goes on with the next batch instead of waiting for the slowest one. Failures stop the lane at the
 * failed batch (nothing after it runs, so no position is skipped) and are thrown to the consumer from `room`,
 * whose backoff then paces the retry of that batch.
 */
export class LaneQueue {
  #pending: (readonly ConsumedMessage[])[] = []
  // Last position accepted: the consumer retries a batch it could not hand over, and a lane takes it once.
  #through = 0
  #running: Promise<void> | undefined
  #failure: { err: unknown } | undefined
  #waiters: (() => void)[] = []

  constructor(readonly lane: Lane) {}

  push(batch: readonly ConsumedMessage[]): void {
    const last = batch[batch.length - 1]?.position ?? 0
    if (last <= this.#through) return
    this.#pending.push(batch)
    this.#through = last
    this.#start()
  }

  /** Resolves once at most `depth` accepted batches are uncommitted; throws the lane's failure (after retrying its batch). */
  async room(depth: number): Promise<void> {
    this.#retry()
    for (;;) {
      const failure = this.#failed()
      if (failure) throw failure.err
      if (this.#pending.length <= depth) return
      await new Promise<void>((resolve) => this.#waiters.push(resolve))
    }
  }

  /** Drops what is not yet running and waits for what is: the caller then reads the stored checkpoints. */
  async reset(): Promise<void> {
    this.#pending = []
    await this.#running
    this.#failure = undefined
    this.#through = 0
  }

  #retry() {
    if (!this.#failure) return
    this.#failure = undefined
    this.#start()
  }

  // A call, not a field read: the compiler would keep #failure narrowed across the awaits in room.
  #failed() {
    return this.#failure
  }

  #start() {
    // With a batch waiting, #run reaches its first await before returning, so it cannot clear #running before it is set.
    if (this.#running || this.#failure || this.#pending.length === 0) return
    this.#running = this.#run()
  }

  async #run() {
    try {
      for (let batch = this.#pending[0]; batch; batch = this.#pending[0]) {
        await this.lane.handle(batch)
        if (this.#pending[0] === batch) this.#pending.shift()
        this.#wake()
      }
    } catch (err) {
      this.#failure = { err }
      this.#wake()
    } finally {
      // In the same turn as the last look at #pending: a batch pushed from now on starts a new run.
      this.#running = undefined
    }
  }

  #wake() {
    for (const resolve of this.#waiters.splice(0)) resolve()
  }
}
