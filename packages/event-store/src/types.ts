import type { AggregateType, EventMetadata, RawEnvelope } from '@tradewatch/domain'

/** Names one stream: one aggregate instance. Its stream id is `streamIdOf(aggregateType, aggregateId)`. */
export interface StreamRef {
  aggregateType: AggregateType
  aggregateId: string
}

/** A number: the stream's current version must equal it. `0` or `'no_stream'`: no events yet. `'any'`: no check. */
export type ExpectedVersion = number | 'any' | 'no_stream'

export interface NewEvent {
  /** Defaults to a random UUID. */
  id?: string
  type: string
  /** Defaults to the catalogue's current version of `type` (1 for a type outside the catalogue). */
  schemaVersion?: number
  data: unknown
  metadata: EventMetadata
  /** Unique for ever: an event whose key is already recorded is not appended again. */
  idempotencyKey?: string
  /** When we learnt it. Defaults to the time of the append call. */
  recordedAt?: Date
}

export interface AppendedEvent {
  eventId: string
  version: number
  position: number
  /** 'duplicate': the idempotency key was already recorded; ids and numbers are the original event's. */
  status: 'appended' | 'duplicate'
}

export interface AppendResult {
  streamId: string
  /** One per event passed to append, in the same order. */
  events: AppendedEvent[]
  currentVersion: number
}

/** Counters of the group-commit writer, for tests and metrics. */
export interface AppendStats {
  transactions: number
  appends: number
  events: number
}

/** The Postgres event store: the system of record. */
export interface EventStore {
  /**
   * Appends events to one stream. Concurrent calls are group-committed: many appends share one
   * transaction, but each is decided (and fails) on its own.
   * @throws WrongExpectedVersionError when `expectedVersion` does not match
   */
  append(stream: StreamRef, events: NewEvent[], options?: { expectedVersion?: ExpectedVersion }): Promise<AppendResult>
  /** The stream's events in version order, from `fromVersion` (default 1). */
  readStream(stream: StreamRef, options?: { fromVersion?: number }): Promise<RawEnvelope[]>
  /** Several streams' events in one read, each in version order, keyed by stream id (an empty list for a stream without events). */
  readStreams(streams: readonly StreamRef[]): Promise<Map<string, RawEnvelope[]>>
  /** Up to `limit` events with position > `after`, in position order. */
  readAll(options: { after: number; limit: number }): Promise<RawEnvelope[]>
  /** Last committed position, 0 when empty. */
  head(): Promise<number>
  /** Events already recorded under these idempotency keys (status 'duplicate'), by key. */
  findByIdempotencyKeys(keys: string[]): Promise<Map<string, AppendedEvent & { streamId: string }>>
  /** Transactions, appends and events written so far by this instance. */
  stats(): AppendStats
  /** Flushes what is queued, then refuses new appends. Does not close `db`. */
  close(): Promise<void>
}
