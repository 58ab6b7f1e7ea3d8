import type { Db } from '@tradewatch/db'
import { type RawEnvelope, streams } from '@tradewatch/domain'
import type { Logger } from '@tradewatch/logger'
import type { NatsConnection } from 'nats'
import pg from 'pg'
import { appendedChannel, relayLockName } from './advisory-key.js'
import { acquireLeadership, type Leadership } from './leadership.js'
import { type EventPublisher, openEventPublisher } from './publish-events.js'
import { readAll } from './read-events.js'
import { backoffMs, sleep } from './sleep.js'
import { ensureStreams } from './streams.js'

export interface Relay {
  /** Finishes the batch in flight, gives up leadership and stops. */
  stop(): Promise<void>
  status(): { leader: boolean; publishedPosition: number; lastError?: string }
}

export interface StartRelayOptions {
  db: Db
  /** For the dedicated leadership and LISTEN connections. */
  databaseUrl: string
  nc: NatsConnection
  prefix: string
  logger: Logger
  /** Events read and published per round (default 1000). */
  batchSize?: number
  /** Fallback poll when no notification arrives (default 500 ms). */
  pollIntervalMs?: number
  /** Passed to `ensureStreams`, which the relay runs at each leadership start and after errors. */
  duplicateWindowMs?: number
}

/**
 * Starts the outbox relay: Postgres events → the JetStream events stream, in position order,
 * each exactly once. Resolves at once; the relay waits as hot standby while another holds the
 * leadership for this database and prefix. Its checkpoint is the stream's own last sequence.
 */
export async function startRelay(options: StartRelayOptions): Promise<Relay> {
  const relay = new OutboxRelay(options)
  relay.start()
  return relay
}

// Batches in flight at once: the one whose acks are awaited, and the next.
const pipelineDepth = 2

class OutboxRelay implements Relay {
  readonly #abort = new AbortController()
  readonly #logger: Logger
  #loop: Promise<void> = Promise.resolve()
  #leader = false
  #published = 0
  #lastError: string | undefined
  #woken = false
  #resync = false
  #endIdle: () => void = () => {}

  constructor(private readonly options: StartRelayOptions) {
    this.#logger = options.logger.child({ component: 'relay', prefix: options.prefix })
  }

  start() {
    void this.#watchReconnects().catch(() => {})
    this.#loop = this.#run()
  }

  // A NATS server that comes back may have lost its tail or its whole store: ask the stream
  // where it stands again, even when no new event would make a publish fail and tell us.
  async #watchReconnects() {
    for await (const status of this.options.nc.status()) {
      if (status.type !== 'reconnect') continue
      this.#resync = true
      this.#wake()
    }
  }

  status() {
    return { leader: this.#leader, publishedPosition: this.#published, ...(this.#lastError ? { lastError: this.#lastError } : {}) }
  }

  async stop() {
    this.#abort.abort()
    this.#wake()
    await this.#loop
  }

  // A notification that arrives mid-round is remembered, so the next idle returns at once.
  #wake() {
    this.#woken = true
    this.#endIdle()
  }

  async #run() {
    const signal = this.#abort.signal
    while (!signal.aborted) {
      let leadership: Leadership
      try {
        leadership = await acquireLeadership({ databaseUrl: this.options.databaseUrl, lock: relayLockName(this.options.prefix), logger: this.#logger, signal })
      } catch {
        return // aborted while waiting
      }
      this.#leader = true
      try {
        await this.#lead(leadership)
      } finally {
        this.#leader = false
        await leadership.release()
      }
    }
  }

  async #lead(leadership: Leadership) {
    let lost = false
    void leadership.lost.then(() => {
      lost = true
      this.#wake()
    })
    const listener = await this.#listen()
    const publisher = openEventPublisher(this.options.nc, this.options.prefix)
    try {
      await this.#relay(publisher, () => lost)
    } finally {
      publisher.close()
      await listener?.end().catch(() => {})
    }
  }

  /**
   * Reads and publishes batch after batch. The next batch is read from Postgres while the last is
   * published, and published while the acks of the one before are awaited, so JetStream always has
   * the next publishes queued. The position moves only past a batch JetStream acked whole; if one
   * fails, the ones after it fail too (their expected last sequence is not the stream's).
   */
  async #relay(publisher: EventPublisher, lost: () => boolean) {
    const signal = this.#abort.signal
    // Position of the last event published (acked or not); undefined: ask the stream.
    let next: number | undefined
    let prefetched: Promise<RawEnvelope[]> | undefined
    let unacked: { last: number; acked: Promise<void> }[] = []
    const read = (after: number) => {
      this.#woken = false
      const batch = readAll(this.options.db, after, this.options.batchSize ?? 1000)
      batch.catch(() => {})
      return batch
    }
    const confirmOldest = async () => {
      const oldest = unacked[0]
      if (!oldest) return
      await oldest.acked
      unacked.shift()
      this.#published = oldest.last
      this.#lastError = undefined
    }
    // Waits for every batch in flight, and moves the position past those acked in order.
    const settle = async () => {
      await Promise.allSettled(unacked.map((u) => u.acked))
      try {
        while (unacked.length > 0) await confirmOldest()
      } catch {
        unacked = []
      }
    }
    for (let attempt = 1; !signal.aborted && !lost(); ) {
      try {
        if (this.#resync) {
          this.#resync = false
          await settle()
          next = undefined
          prefetched = undefined
        }
        next ??= await this.#streamLastSequence()
        const events = await (prefetched ?? read(next))
        prefetched = undefined
        const last = events[events.length - 1]?.position
        if (last === undefined) {
          while (unacked.length > 0) await confirmOldest()
          attempt = 1
          await this.#idle()
          continue
        }
        const acked = publisher.publish(events)
        acked.catch(() => {})
        unacked.push({ last, acked })
        next = last
        prefetched = read(last)
        if (unacked.length >= pipelineDepth) await confirmOldest()
        attempt = 1
      } catch (err) {
        // Never guess what got stored: let the publishes in flight end, back off, then ask the stream where it stands.
        await settle()
        next = undefined
        prefetched = undefined
        this.#lastError = String((err as Error).message ?? err)
        this.#logger.error({ err, attempt }, 'relay round failed, backing off')
        await sleep(backoffMs(attempt++), signal)
      }
    }
    await settle()
  }

  // The stream is self-describing: its last sequence is the last position it holds.
  async #streamLastSequence(): Promise<number> {
    await ensureStreams(this.options.nc, this.options.prefix, { duplicateWindowMs: this.options.duplicateWindowMs })
    const jsm = await this.options.nc.jetstreamManager()
    const info = await jsm.streams.info(streams.events(this.options.prefix))
    this.#published = info.state.last_seq
    return info.state.last_seq
  }

  #idle(): Promise<void> {
    if (this.#woken || this.#abort.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs ?? 500)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.#endIdle = done
    })
  }

  // LISTEN is only a wake-up: if it fails, polling still moves every event.
  async #listen(): Promise<pg.Client | undefined> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'tradewatch-relay-listen' })
    client.on('error', (err) => this.#logger.warn({ err }, 'relay LISTEN connection failed, polling only'))
    client.on('notification', () => this.#wake())
    try {
      await client.connect()
      await client.query(`LISTEN ${appendedChannel}`)
      return client
    } catch (err) {
      this.#logger.warn({ err }, 'relay could not LISTEN, polling only')
      await client.end().catch(() => {})
      return undefined
    }
  }
}
