import type { Db } from '@tradewatch/db'
import { acquireLeadership, type ConsumedMessage, type Consumer, type Leadership, startConsumer } from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import type { NatsConnection } from 'nats'
import { Lane } from './lane.js'
import { LaneQueue } from './lane-queue.js'
import type { Projection } from './projection.js'

export interface ProjectorOptions {
  db: Db
  databaseUrl: string
  nc: NatsConnection
  prefix: string
  logger: Logger
  /** Read models fed from one consumer, each event parsed once for all; each keeps its own checkpoint. */
  projections: readonly Projection[]
  batchSize?: number
  /**
   * Batches each projection may hold applied but not committed when the consumer hands over the next (default 0:
   * every projection commits a batch before the next is handed over). Above 0, a projection that is ahead goes on
   * while a slower one finishes, instead of all waiting for the slowest at every batch.
   */
  pipelineDepth?: number
  /**
   * Tries of a batch whose `apply` throws (with the consumer's backoff between them) before its
   * poison events are looked for and dead-lettered (default 3). Transient errors do not count.
   */
  maxAttempts?: number
  /**
   * Whether a batch's commit waits for the WAL flush (default true). False suits a read model with no effect
   * outside its transaction: its rows and its checkpoint commit together, and a Postgres crash can only lose the
   * last commits whole (the WAL is replayed in order), so the checkpoint goes back with its rows and the batches
   * are applied again from the stream (the checkpoint's compare-and-set sends the consumer back to it). What it
   * saves is a flush per batch and read model. The event store keeps waiting: no acknowledged event is lost.
   * A dead letter published after such a commit may be published again.
   */
  durableCommits?: boolean
  metrics?: ProjectorMetrics
  /** Called after each batch a projection committed, with its last position (e.g. to wake an outbox). */
  onCommitted?: (position: number, projection: string) => void
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
  /** `position` is the slowest projection's checkpoint. */
  status(): { name: string; leader: boolean; position: number; healthy: boolean; lastError?: string }
}

/** One projection run by a projector of its own: the alert service's matcher, tests. */
export async function startProjector(options: Omit<ProjectorOptions, 'projections'> & { projection: Projection }): Promise<Projector> {
  const { projection, ...rest } = options
  return startProjectors({ ...rest, projections: [projection] })
}

/**
 * Runs projections as the single active instance (a Postgres advisory lock; a second replica
 * waits as a hot standby, and a leader whose lock connection dies stops consuming and queues
 * for the lock again). One ordered consumer reads and parses each event once and hands every
 * batch to all projections at once, each applying its share in its own transaction with its
 * checkpoint; events that fail validation are dead-lettered in that same transaction. A batch
 * whose `apply` keeps throwing is bisected to dead-letter its poison events (see isolatePoison),
 * so one bad event never stalls a projection; transient errors are retried for ever.
 */
export async function startProjectors(options: ProjectorOptions): Promise<Projector> {
  const { nc, prefix, projections, maxAttempts = 3, durableCommits = true, pipelineDepth = 0 } = options
  const name = projections.map((p) => p.name).join('+')
  const logger = options.logger.child({ projector: name })
  const lanes = projections.map((projection) => new Lane(projection, { ...options, maxAttempts, durableCommits }))
  const queues = lanes.map((lane) => new LaneQueue(lane))
  // Nothing left applying: what follows reads or hands over the stored checkpoints.
  const settle = () => Promise.all(queues.map((queue) => queue.reset()))
  const abort = new AbortController()
  const stopping = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }))
  let consumer: Consumer | undefined

  // Every lane goes on with what it can; the first failure sends the batch back (a lane takes a batch once), and
  // the failed lane retries its own failed batch when it is handed over again.
  const handle = async (batch: ConsumedMessage[]) => {
    if (batch.length === 0) return
    for (const queue of queues) queue.push(batch)
    await Promise.all(queues.map((queue) => queue.room(pipelineDepth)))
  }
  const flush = async () => void (await Promise.all(queues.map((queue) => queue.room(0))))

  const lead = async (leadership: Leadership) => {
    logger.info('leading projections')
    consumer = await startConsumer({
      nc,
      prefix,
      name,
      logger,
      batchSize: options.batchSize,
      loadCheckpoint: async () => {
        await settle()
        return Math.min(...(await Promise.all(lanes.map((lane) => lane.loadCheckpoint()))))
      },
      handle,
      flush,
    })
    await Promise.race([leadership.lost, stopping])
    await consumer.stop()
    await settle()
    consumer = undefined
  }

  const run = async () => {
    while (!abort.signal.aborted) {
      let leadership: Leadership
      try {
        leadership = await acquireLeadership({ databaseUrl: options.databaseUrl, lock: `projection:${prefix}:${name}`, logger, signal: abort.signal })
      } catch {
        return // aborted while waiting
      }
      try {
        if (!abort.signal.aborted) await lead(leadership)
      } finally {
        await leadership.release()
      }
      // Another replica may hold the lock by now: stop acting as leader at once, then queue for it again.
      if (!abort.signal.aborted) logger.warn('leadership lost: stopped consuming until the lock is held again')
    }
  }
  const running = run().catch((err) => {
    if (!abort.signal.aborted) logger.error({ err }, 'projector stopped')
  })

  return {
    async stop() {
      abort.abort()
      await running
    },
    status() {
      const s = consumer?.status()
      // The lanes', not the consumer's: it hands batches over before every lane has committed them.
      const position = Math.min(...lanes.map((lane) => lane.position))
      return { name, leader: !!consumer, position, healthy: !!s?.healthy, lastError: s?.lastError }
    },
  }
}
