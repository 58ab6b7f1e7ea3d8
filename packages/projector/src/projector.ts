import type { Db } from '@tradewatch/db'
import { subjects } from '@tradewatch/domain'
import { acquireLeadership, type ConsumedMessage, type Consumer, type Leadership, readCheckpoint, startConsumer } from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import type { NatsConnection } from 'nats'
import { commitMessages } from './commit.js'
import { type CommitFn, isolatePoison, isPoison } from './isolate.js'
import type { Projection } from './projection.js'

export interface ProjectorOptions {
  db: Db
  databaseUrl: string
  nc: NatsConnection
  prefix: string
  logger: Logger
  projection: Projection
  batchSize?: number
  /**
   * Tries of a batch whose `apply` throws (with the consumer's backoff between them) before its
   * poison events are looked for and dead-lettered (default 3). Transient errors do not count.
   */
  maxAttempts?: number
  metrics?: ProjectorMetrics
  /** Called after each batch committed, with its last position (e.g. to wake an outbox). */
  onCommitted?: (position: number) => void
}

type ProjectionLabel = { projection: string }

/** Structural, so any metrics library fits. Labelled `{ projection }`; the optional ones are per-projection detail. */
export interface ProjectorMetrics {
  applied: { inc(amount: number, labels: ProjectionLabel): void }
  deadLettered: { inc(amount: number, labels: ProjectionLabel): void }
  /** Batches handled; with `applied`, the mean batch size per projection. */
  batches?: { inc(amount: number, labels: ProjectionLabel): void }
  /** Seconds spent applying and committing; over `batches`, the mean apply latency per projection. */
  batchSecondsTotal?: { inc(amount: number, labels: ProjectionLabel): void }
  batchSeconds: { observe(seconds: number): void }
  batchSize?: { observe(messages: number): void }
  position?: { set(value: number, labels: ProjectionLabel): void }
}

export interface Projector {
  stop(): Promise<void>
  status(): { name: string; leader: boolean; position: number; healthy: boolean; lastError?: string }
}

/**
 * Runs one projection as the single active instance (a Postgres advisory lock; a second
 * replica waits as a hot standby). Each batch is applied and its checkpoint moved in one
 * transaction; events that fail validation are dead-lettered in that same transaction. A batch
 * whose `apply` keeps throwing is bisected to dead-letter its poison events (see isolatePoison),
 * so one bad event never stalls the projection; transient errors are retried for ever.
 */
export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { db, nc, prefix, projection, metrics, maxAttempts = 3 } = options
  const labels = { projection: projection.name }
  const logger = options.logger.child({ projection: projection.name })
  const abort = new AbortController()
  let leadership: Leadership | undefined
  let consumer: Consumer | undefined
  let position = 0
  let stopped = false
  // Permanent failures of the batch starting after `from`; the consumer redelivers that batch.
  let failures = { from: -1, count: 0 }
  // A bisection interrupted by a transient error resumes as a bisection, not with new tries.
  let isolateThrough = 0

  const commit: CommitFn = async (from, messages, poison) => {
    const committed = await commitMessages(db, projection, from, messages, poison)
    position = committed.to
    for (const entry of committed.deadLetters) {
      logger.warn(
        { position: entry.position, eventId: entry.eventId, eventType: entry.eventType, reason: entry.reason, attempts: entry.attempts },
        'event dead-lettered',
      )
      // After commit: a crash before this line leaves the row in Postgres, the record that counts.
      nc.publish(subjects.deadLetter(prefix, projection.name), JSON.stringify(entry))
    }
    metrics?.applied.inc(committed.applied, labels)
    metrics?.deadLettered.inc(committed.deadLetters.length, labels)
    metrics?.position?.set(position, labels)
    options.onCommitted?.(position)
    return position
  }

  const handle = async (batch: ConsumedMessage[], { checkpoint }: { checkpoint: number }) => {
    if (batch.length === 0) return
    const started = performance.now()
    if (checkpoint < isolateThrough) await isolatePoison(commit, checkpoint, batch, maxAttempts)
    else await applyWithTries(checkpoint, batch)
    // Committed batches only: a failed try is in the consumer's error log and health, not here.
    const seconds = (performance.now() - started) / 1000
    metrics?.batches?.inc(1, labels)
    metrics?.batchSecondsTotal?.inc(seconds, labels)
    metrics?.batchSeconds.observe(seconds)
    metrics?.batchSize?.observe(batch.length)
  }

  const applyWithTries = async (checkpoint: number, batch: ConsumedMessage[]) => {
    try {
      await commit(checkpoint, batch)
      failures = { from: -1, count: 0 }
    } catch (err) {
      // Rethrown errors go back to the consumer, which waits (backoff) and redelivers this batch.
      if (!isPoison(err)) throw err
      const count = failures.from === checkpoint ? failures.count + 1 : 1
      failures = { from: checkpoint, count }
      if (count < maxAttempts) throw err
      logger.warn({ err, from: batch[0]?.position, to: batch[batch.length - 1]?.position, attempts: count }, 'batch keeps failing, isolating its poison events')
      isolateThrough = batch[batch.length - 1]?.position ?? checkpoint
      failures = { from: -1, count: 0 }
      await isolatePoison(commit, checkpoint, batch, count)
    }
  }

  const run = async () => {
    leadership = await acquireLeadership({ databaseUrl: options.databaseUrl, lock: `projection:${prefix}:${projection.name}`, logger, signal: abort.signal })
    if (stopped) return leadership.release()
    logger.info('leading projection')
    consumer = await startConsumer({
      nc,
      prefix,
      name: projection.name,
      logger,
      batchSize: options.batchSize,
      loadCheckpoint: async () => {
        position = await readCheckpoint(db, projection.name)
        metrics?.position?.set(position, labels)
        return position
      },
      handle,
    })
  }
  const running = run().catch((err) => {
    if (!stopped) logger.error({ err }, 'projection failed to start')
  })

  return {
    async stop() {
      stopped = true
      abort.abort()
      await running
      await consumer?.stop()
      await leadership?.release()
    },
    status() {
      const s = consumer?.status()
      return { name: projection.name, leader: !!consumer, position: s?.position ?? position, healthy: !!s?.healthy, lastError: s?.lastError }
    },
  }
}
