import type { Db } from '@tradewatch/db'
import { type EventEnvelope, parseEnvelope, subjects } from '@tradewatch/domain'
import {
  acquireLeadership,
  advanceCheckpoint,
  type ConsumedMessage,
  type Consumer,
  deadLetter,
  type Leadership,
  readCheckpoint,
  startConsumer,
} from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import type { NatsConnection } from 'nats'
import type { Projection } from './projection.js'

export interface ProjectorOptions {
  db: Db
  databaseUrl: string
  nc: NatsConnection
  prefix: string
  logger: Logger
  projection: Projection
  batchSize?: number
  metrics?: ProjectorMetrics
  /** Called after each batch committed, with its last position (e.g. to wake an outbox). */
  onCommitted?: (position: number) => void
}

/** Structural, so any metrics library fits. */
export interface ProjectorMetrics {
  applied: { inc(amount: number): void }
  deadLettered: { inc(amount: number): void }
  batchSeconds: { observe(seconds: number): void }
}

export interface Projector {
  stop(): Promise<void>
  status(): { name: string; leader: boolean; position: number; healthy: boolean; lastError?: string }
}

/**
 * Runs one projection as the single active instance (a Postgres advisory lock; a second
 * replica waits as a hot standby). Each batch is applied and its checkpoint moved in one
 * transaction; events that fail validation are dead-lettered in that same transaction.
 */
export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { db, nc, prefix, projection, metrics } = options
  const logger = options.logger.child({ projection: projection.name })
  const abort = new AbortController()
  let leadership: Leadership | undefined
  let consumer: Consumer | undefined
  let position = 0
  let stopped = false

  const handle = async (batch: ConsumedMessage[]) => {
    const started = performance.now()
    const valid: EventEnvelope[] = []
    const invalid: { message: ConsumedMessage; reason: string }[] = []
    for (const message of batch) {
      try {
        if (!message.envelope) throw new Error(message.error ?? 'unreadable message')
        valid.push(parseEnvelope(message.envelope))
      } catch (err) {
        invalid.push({ message, reason: (err as Error).message })
      }
    }
    const last = batch[batch.length - 1]
    if (!last) return
    await db.transaction().execute(async (trx) => {
      await projection.apply(trx, valid)
      for (const { message, reason } of invalid) {
        await deadLetter(trx, {
          consumer: projection.name,
          position: message.position,
          eventId: message.envelope?.id,
          eventType: message.envelope?.type,
          reason,
          attempts: 1,
          payload: message.envelope ?? message.raw ?? null,
        })
      }
      await advanceCheckpoint(trx, projection.name, position, last.position)
    })
    position = last.position
    for (const { message, reason } of invalid) {
      logger.warn({ position: message.position, reason }, 'event dead-lettered')
      nc.publish(subjects.deadLetter(prefix, projection.name), JSON.stringify({ position: message.position, reason, raw: message.raw ?? message.envelope }))
    }
    metrics?.applied.inc(valid.length)
    metrics?.deadLettered.inc(invalid.length)
    metrics?.batchSeconds.observe((performance.now() - started) / 1000)
    options.onCommitted?.(position)
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
