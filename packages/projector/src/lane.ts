import type { Db } from '@tradewatch/db'
import { subjects } from '@tradewatch/domain'
import { type ConsumedMessage, readCheckpoint } from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import type { NatsConnection } from 'nats'
import { commitMessages } from './commit.js'
import { type CommitFn, isolatePoison, isPoison } from './isolate.js'
import type { Projection } from './projection.js'
import type { ProjectorMetrics } from './projector.js'

export interface LaneOptions {
  db: Db
  nc: NatsConnection
  prefix: string
  logger: Logger
  maxAttempts: number
  durableCommits: boolean
  metrics?: ProjectorMetrics
  onCommitted?: (position: number, projection: string) => void
}

/**
 * One projection's share of the batches a projector consumes: its own checkpoint, tries and
 * poison isolation, so a failing read model is retried and bisected without touching the others.
 */
export class Lane {
  /** The projection's committed checkpoint, as this process last read or moved it. */
  position = 0
  readonly #labels: { projection: string }
  readonly #logger: Logger
  // Permanent failures of the batch starting after `from`; the consumer redelivers that batch.
  #failures = { from: -1, count: 0 }
  // A bisection interrupted by a transient error resumes as a bisection, not with new tries.
  #isolateThrough = 0

  constructor(
    readonly projection: Projection,
    private readonly options: LaneOptions,
  ) {
    this.#labels = { projection: projection.name }
    this.#logger = options.logger.child({ projection: projection.name })
  }

  async loadCheckpoint(): Promise<number> {
    this.position = await readCheckpoint(this.options.db, this.projection.name)
    this.options.metrics?.position?.set(this.position, this.#labels)
    return this.position
  }

  /** Applies the messages of `batch` after this projection's checkpoint (none when it is already past them). */
  async handle(batch: readonly ConsumedMessage[]): Promise<void> {
    const checkpoint = this.position
    const own = batch[0] && batch[0].position > checkpoint ? batch : batch.filter((m) => m.position > checkpoint)
    if (own.length === 0) return
    const { metrics } = this.options
    const started = performance.now()
    if (checkpoint < this.#isolateThrough) await isolatePoison(this.#commit, checkpoint, own, this.options.maxAttempts)
    else await this.#applyWithTries(checkpoint, own)
    // Committed batches only: a failed try is in the consumer's error log and health, not here.
    const seconds = (performance.now() - started) / 1000
    metrics?.batches?.inc(1, this.#labels)
    metrics?.batchSecondsTotal?.inc(seconds, this.#labels)
    metrics?.batchSeconds.observe(seconds)
    metrics?.batchSize?.observe(own.length)
  }

  readonly #commit: CommitFn = async (from, messages, poison) => {
    const { db, nc, prefix, metrics, durableCommits } = this.options
    const committed = await commitMessages(db, this.projection, from, messages, poison, durableCommits)
    this.position = committed.to
    for (const entry of committed.deadLetters) {
      this.#logger.warn(
        { position: entry.position, eventId: entry.eventId, eventType: entry.eventType, reason: entry.reason, attempts: entry.attempts },
        'event dead-lettered',
      )
      // After commit: a crash before this line leaves the row in Postgres, the record that counts.
      nc.publish(subjects.deadLetter(prefix, this.projection.name), JSON.stringify(entry))
    }
    metrics?.applied.inc(committed.applied, this.#labels)
    metrics?.deadLettered.inc(committed.deadLetters.length, this.#labels)
    metrics?.position?.set(this.position, this.#labels)
    this.options.onCommitted?.(this.position, this.projection.name)
    return this.position
  }

  async #applyWithTries(checkpoint: number, batch: readonly ConsumedMessage[]) {
    try {
      await this.#commit(checkpoint, batch)
      this.#failures = { from: -1, count: 0 }
    } catch (err) {
      // Rethrown errors go back to the consumer, which waits (backoff) and redelivers this batch.
      if (!isPoison(err)) throw err
      const count = this.#failures.from === checkpoint ? this.#failures.count + 1 : 1
      this.#failures = { from: checkpoint, count }
      if (count < this.options.maxAttempts) throw err
      this.#logger.warn(
        { err, from: batch[0]?.position, to: batch[batch.length - 1]?.position, attempts: count },
        'batch keeps failing, isolating its poison events',
      )
      this.#isolateThrough = batch[batch.length - 1]?.position ?? checkpoint
      this.#failures = { from: -1, count: 0 }
      await isolatePoison(this.#commit, checkpoint, batch, count)
    }
  }
}
