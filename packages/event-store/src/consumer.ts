import { type EventEnvelope, parseEnvelope, streams } from '@tradewatch/domain'
import type { Logger } from '@tradewatch/logger'
import type { ConsumerMessages, JsMsg, NatsConnection } from 'nats'
import { errorCodes, hasCode } from './errors.js'
import { backoffMs, sleep } from './sleep.js'

/** One message as the handler sees it: the validated (and upcast) envelope, or why it is not one. */
export interface ConsumedMessage {
  /** Stream sequence, equal to the event's global position. */
  position: number
  envelope?: EventEnvelope
  error?: string
  /** Without an envelope: the message as received, its JSON value or, when it is not JSON, its text. */
  raw?: unknown
}

export interface Consumer {
  stop(): Promise<void>
  status(): { position: number; healthy: boolean; lastError?: string }
}

export interface BatchContext {
  /** The checkpoint this batch continues from: the `from` of the compare-and-set. */
  checkpoint: number
}

export interface StartConsumerOptions {
  nc: NatsConnection
  prefix: string
  /** The checkpoint name, also used in logs. */
  name: string
  logger: Logger
  loadCheckpoint: () => Promise<number>
  /**
   * Applies a batch and commits its effects with `advanceCheckpoint(trx, name, context.checkpoint,
   * lastPosition)` in one transaction, or throws: the same batch is then retried. A
   * CheckpointConflictError restarts from the stored checkpoint.
   */
  handle: (batch: ConsumedMessage[], context: BatchContext) => Promise<void>
  /**
   * Awaited, with the retries a batch gets, each time the buffered messages are all handed over: a handler that
   * applies batches in the background finishes them here, so a failure after the last message is retried too.
   */
  flush?: () => Promise<void>
  /** Most messages per batch (default 500). */
  batchSize?: number
  /** One subject works on NATS 2.9; several need 2.10+. */
  filterSubjects?: string[]
}

/**
 * Consumes the events stream in strict position order from the handler's own checkpoint, with
 * an ordered consumer: no acks, so no redelivery can reorder messages (nats-server #7106).
 * Resolves once started; the loop retries connection and handler failures without skipping.
 */
export async function startConsumer(options: StartConsumerOptions): Promise<Consumer> {
  const consumer = new OrderedBatchConsumer(options)
  consumer.start()
  return consumer
}

const decoder = new TextDecoder()

class OrderedBatchConsumer implements Consumer {
  readonly #abort = new AbortController()
  readonly #logger: Logger
  #loop: Promise<void> = Promise.resolve()
  #messages: ConsumerMessages | undefined
  #position = 0
  #healthy = false
  #lastError: string | undefined

  constructor(private readonly options: StartConsumerOptions) {
    this.#logger = options.logger.child({ component: 'consumer', consumer: options.name })
  }

  start() {
    this.#loop = this.#run()
  }

  status() {
    return { position: this.#position, healthy: this.#healthy, ...(this.#lastError ? { lastError: this.#lastError } : {}) }
  }

  async stop() {
    this.#abort.abort()
    this.#messages?.stop()
    await this.#loop
  }

  async #run() {
    const signal = this.#abort.signal
    // After a pause, where the last batch handed over ends; after a failure, the stored checkpoint.
    let resumeAt: number | undefined
    for (let attempt = 1; !signal.aborted; ) {
      try {
        resumeAt = await this.#consume(resumeAt)
        attempt = 1
      } catch (err) {
        resumeAt = undefined
        if (signal.aborted) return
        if (hasCode(err, errorCodes.checkpointConflict)) {
          this.#logger.warn({ err }, 'checkpoint moved by another instance, restarting from the stored one')
          continue
        }
        this.#fail(err)
        await sleep(backoffMs(attempt++), signal)
      }
    }
  }

  /** Resolves to the position to resume after, once paused with everything buffered handed over. */
  async #consume(resumeAt: number | undefined): Promise<number | undefined> {
    const { nc, prefix, filterSubjects = [], batchSize = 500 } = this.options
    this.#position = resumeAt ?? (await this.options.loadCheckpoint())
    const filter = filterSubjects.length === 1 ? filterSubjects[0] : filterSubjects.length > 1 ? filterSubjects : undefined
    const consumer = await nc.jetstream().consumers.get(streams.events(prefix), {
      opt_start_seq: this.#position + 1,
      ...(filter ? { filterSubjects: filter } : {}),
    })
    const messages = await consumer.consume({ max_messages: batchSize })
    this.#messages = messages
    if (this.#abort.signal.aborted) messages.stop()
    this.#healthy = true
    this.#lastError = undefined
    // Batches form while the previous one is being applied, as in group commit: a lone event
    // goes at once, and a consumer behind a busy stream takes everything that arrived meanwhile.
    // (`info.pending` is 0 on every message pushed while the stream is still being written, so
    // it cannot tell when to cut a batch.)
    const buffer: ConsumedMessage[] = []
    let failure: unknown
    let draining: Promise<void> | undefined
    let paused = false
    let arrived: (() => void) | undefined
    const drain = async () => {
      try {
        // Let the burst already received join the first batch.
        await new Promise((resolve) => setImmediate(resolve))
        do {
          while (buffer.length > 0) {
            const batch = buffer.splice(0, batchSize)
            await this.#retrying(batch, () => this.options.handle(batch, { checkpoint: this.#position }))
            this.#position = batch[batch.length - 1]?.position ?? this.#position
          }
          const { flush } = this.options
          // A pause hands the buffer over and resumes at once; the handler's batches go on meanwhile.
          if (flush && !paused)
            await this.#retrying([], async () => {
              if (buffer.length === 0) await this.#flushUnlessMore(flush, (resolve) => (arrived = resolve))
            })
          arrived = undefined
          // Messages that arrived during the flush found this drain running: they are this drain's to hand over.
        } while (buffer.length > 0)
      } catch (err) {
        failure = err
        messages.stop()
      } finally {
        draining = undefined
      }
    }
    // Resumed after a pause: if nothing more comes, what was handed over before it is still flushed.
    if (resumeAt !== undefined) draining = drain()
    try {
      for await (const msg of messages) {
        buffer.push(toConsumed(msg))
        arrived?.()
        draining ??= drain()
        // consume() pulls more as soon as messages arrive, not as they are handled: behind a long
        // stream it would hold the whole backlog in memory. Stop it instead, and resume after the
        // last message once what is buffered is handed over.
        if (buffer.length >= batchSize * 4) {
          paused = true
          break
        }
      }
      messages.stop()
      await draining
      if (failure !== undefined) throw failure
      if (paused) return this.#position
      if (this.#abort.signal.aborted) return undefined
      // Only stop() should end the iteration; anything else (stream deleted…) is retried with backoff.
      throw new Error('ordered consumer ended unexpectedly', { cause: await messages.closed() })
    } finally {
      messages.stop()
    }
  }

  /** The handler's flush, given up on (not failed) once another message arrives: the next batch carries on from there. */
  async #flushUnlessMore(flush: () => Promise<void>, onArrival: (resolve: () => void) => void): Promise<void> {
    const flushing = flush()
    // Lost the race: a failure it would have thrown fails the next batch's hand-over instead.
    flushing.catch(() => undefined)
    await Promise.race([flushing, new Promise<void>((resolve) => onArrival(resolve))])
  }

  // The same batch until it commits: a transient failure never skips a message.
  async #retrying(batch: readonly ConsumedMessage[], attempt: () => Promise<void>) {
    const signal = this.#abort.signal
    for (let tries = 1; ; tries++) {
      try {
        await attempt()
        this.#healthy = true
        this.#lastError = undefined
        return
      } catch (err) {
        if (hasCode(err, errorCodes.checkpointConflict)) throw err
        this.#fail(err, { attempt: tries, from: batch[0]?.position, to: batch[batch.length - 1]?.position })
        await sleep(backoffMs(tries), signal)
        if (signal.aborted) throw err
      }
    }
  }

  #fail(err: unknown, context: Record<string, unknown> = {}) {
    this.#healthy = false
    this.#lastError = String((err as Error)?.message ?? err)
    this.#logger.error({ err, ...context }, 'consumer failed, retrying')
  }
}

function toConsumed(msg: JsMsg): ConsumedMessage {
  const position = msg.seq
  const raw = decoder.decode(msg.data)
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (err) {
    return { position, error: `invalid JSON: ${(err as Error).message}`, raw }
  }
  // Parsed once here, for every projection the handler feeds: parsing is most of a projection's CPU.
  let envelope: EventEnvelope
  try {
    envelope = parseEnvelope(json)
  } catch (err) {
    return { position, error: (err as Error).message, raw: json }
  }
  if (envelope.position !== position) return { position, error: `envelope position ${envelope.position} is not stream sequence ${position}`, raw: json }
  return { position, envelope }
}
