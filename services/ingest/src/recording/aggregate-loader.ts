import { type RawEnvelope, streamIdOf } from '@tradewatch/domain'
import type { AppendedEvent, EventStore, StreamRef } from '@tradewatch/event-store'

export type KnownEvent = AppendedEvent & { streamId: string }

export interface Loaded {
  histories: Map<string, RawEnvelope[]>
  known: Map<string, KnownEvent>
}

/**
 * Reads aggregates' events and recorded idempotency keys for many requests at once, the way
 * group commit writes: one read in flight, and every request that arrives meanwhile shares the
 * next one. Idle, a request is read at once; busy, reads grow instead of queueing. Round trips
 * cost more CPU here than the queries, so concurrent single-event requests must share theirs.
 */
export interface AggregateLoader {
  load(streams: readonly StreamRef[], keys: readonly string[]): Promise<Loaded>
}

interface Waiting {
  streams: readonly StreamRef[]
  keys: readonly string[]
  resolve(loaded: Loaded): void
  reject(err: unknown): void
}

export function createAggregateLoader(store: EventStore): AggregateLoader {
  let waiting: Waiting[] = []
  let reading = false

  const next = () => {
    if (reading || waiting.length === 0) return
    reading = true
    // Requests parsed in this same turn join the read about to start.
    setImmediate(
      () =>
        void flush().finally(() => {
          reading = false
          next()
        }),
    )
  }

  const flush = async () => {
    const batch = waiting
    waiting = []
    const streams = new Map<string, StreamRef>()
    const keys = new Set<string>()
    for (const w of batch) {
      for (const s of w.streams) streams.set(streamIdOf(s.aggregateType, s.aggregateId), s)
      for (const k of w.keys) keys.add(k)
    }
    try {
      const [histories, known] = await Promise.all([store.readStreams([...streams.values()]), store.findByIdempotencyKeys([...keys])])
      for (const w of batch) w.resolve({ histories, known })
    } catch (err) {
      for (const w of batch) w.reject(err)
    }
  }

  return {
    load(streams, keys) {
      return new Promise((resolve, reject) => {
        waiting.push({ streams, keys, resolve, reject })
        next()
      })
    },
  }
}
