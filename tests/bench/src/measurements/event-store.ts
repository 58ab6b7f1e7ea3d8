import { randomUUID } from 'node:crypto'
import type { Db } from '@tradewatch/db'
import { type EventStore, ensureStreams, type NewEvent, startRelay } from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import type { NatsConnection } from 'nats'
import type { Measurement } from '../harness.js'

const correlationId = randomUUID()

/** A realistic event body: a rate change with its source, about 600 bytes as JSON. */
export function benchEvent(i: number): NewEvent {
  return {
    type: 'MeasureRateChanged',
    data: { rate: { type: 'ad_valorem', percent: (i % 90) + 1 }, note: 'bench' },
    metadata: {
      occurredAt: '2026-01-16',
      effectiveAt: '2026-03-01',
      source: { kind: 'news', url: `https://example.org/bench/${i}`, title: 'Benchmark source for a rate change' },
      correlationId,
      causationId: null,
    },
  }
}

let streamCounter = 0

/** Appends of 500 events each, 4 callers at once, straight into the event store. */
export function storeBatchAppend(store: EventStore, total = 40_000): Measurement {
  return {
    name: 'store_append_events_per_s',
    unit: 'events/s',
    async run() {
      const batches = total / 500
      let next = 0
      const started = performance.now()
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < batches) {
            next++
            const aggregateId = `bench-${process.pid}-${streamCounter++}`
            await store.append(
              { aggregateType: 'measure', aggregateId },
              Array.from({ length: 500 }, (_, i) => benchEvent(i)),
              { expectedVersion: 'no_stream' },
            )
          }
        }),
      )
      return total / ((performance.now() - started) / 1000)
    },
  }
}

/** One event per append from 32 concurrent callers: only group commit makes this fast. */
export function storeSingleAppend(store: EventStore, total = 20_000): Measurement {
  return {
    name: 'store_append_single_events_per_s',
    unit: 'events/s',
    async run() {
      let next = 0
      const started = performance.now()
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < total) {
            const i = next++
            await store.append({ aggregateType: 'measure', aggregateId: `single-${process.pid}-${streamCounter++}` }, [benchEvent(i)], {
              expectedVersion: 'no_stream',
            })
          }
        }),
      )
      return total / ((performance.now() - started) / 1000)
    },
  }
}

/** Event store → JetStream: a relay started on a fresh stream publishes everything appended so far. */
export function relayThroughput(options: {
  db: Db
  databaseUrl: string
  nc: NatsConnection
  store: EventStore
  logger: Logger
  basePrefix: string
}): Measurement {
  let run = 0
  return {
    name: 'relay_events_per_s',
    unit: 'events/s',
    async run() {
      const prefix = `${options.basePrefix}r${run++}`
      await ensureStreams(options.nc, prefix)
      const head = await options.store.head()
      const started = performance.now()
      const relay = await startRelay({ db: options.db, databaseUrl: options.databaseUrl, nc: options.nc, prefix, logger: options.logger })
      while (relay.status().publishedPosition < head) await new Promise((resolve) => setTimeout(resolve, 5))
      const seconds = (performance.now() - started) / 1000
      await relay.stop()
      const jsm = await options.nc.jetstreamManager()
      for (const name of [`${prefix.toUpperCase()}_EVENTS`, `${prefix.toUpperCase()}_ALERTS`, `${prefix.toUpperCase()}_DLQ`])
        await jsm.streams.delete(name).catch(() => undefined)
      return head / seconds
    },
  }
}
