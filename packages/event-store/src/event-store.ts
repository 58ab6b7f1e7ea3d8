import { randomUUID } from 'node:crypto'
import type { Db } from '@tradewatch/db'
import { aggregateIdPattern, aggregateTypes, eventCatalogue, isTradeEventType, streamIdOf } from '@tradewatch/domain'
import type { Logger } from '@tradewatch/logger'
import { EventStoreError, errorCodes } from './errors.js'
import { GroupCommitter } from './group-committer.js'
import type { PreparedEvent } from './plan-batch.js'
import { findByIdempotencyKeys, readAll, readHead, readStream, readStreams } from './read-events.js'
import type { EventStore, NewEvent, StreamRef } from './types.js'

export interface CreateEventStoreOptions {
  db: Db
  /** Most events one group-commit transaction takes from the queue (default 2000). */
  maxBatchEvents?: number
  logger?: Logger
}

/**
 * The Postgres event store with group commit.
 * @example
 * const store = createEventStore({ db })
 * await store.append({ aggregateType: 'measure', aggregateId: 'ca-cn-ev-surtax' }, [event], { expectedVersion: 'no_stream' })
 */
export function createEventStore({ db, maxBatchEvents = 2000, logger }: CreateEventStoreOptions): EventStore {
  const committer = new GroupCommitter(db, maxBatchEvents, logger)
  let closed = false
  return {
    async append(stream, events, options = {}) {
      if (closed) throw new EventStoreError(errorCodes.closed, 'the event store is closed: append refused')
      const recordedAt = new Date()
      return committer.submit({
        streamId: validStreamId(stream),
        aggregateType: stream.aggregateType,
        aggregateId: stream.aggregateId,
        expectedVersion: options.expectedVersion ?? 'any',
        events: events.map((e) => prepare(e, recordedAt)),
      })
    },
    readStream: (stream, options = {}) => readStream(db, validStreamId(stream), options.fromVersion ?? 1),
    readStreams: (streams) => readStreams(db, streams.map(validStreamId)),
    readAll: ({ after, limit }) => readAll(db, after, limit),
    head: () => readHead(db),
    async findByIdempotencyKeys(keys) {
      const found = await findByIdempotencyKeys(db, keys)
      return new Map(found.map(({ key, ...e }) => [key, { ...e, status: 'duplicate' as const }]))
    },
    stats: () => committer.stats(),
    async close() {
      closed = true
      await committer.flushed()
    },
  }
}

// Aggregate ids become subject tokens on the bus: refuse what would break a subject.
function validStreamId({ aggregateType, aggregateId }: StreamRef): string {
  if (!aggregateTypes.includes(aggregateType)) throw new EventStoreError(errorCodes.invalidStream, `unknown aggregate type ${aggregateType}`)
  if (!aggregateIdPattern.test(aggregateId)) throw new EventStoreError(errorCodes.invalidStream, `aggregate id ${aggregateId} is not a lowercase slug`)
  return streamIdOf(aggregateType, aggregateId)
}

function prepare(event: NewEvent, recordedAt: Date): PreparedEvent {
  const data = JSON.stringify(event.data)
  if (data === undefined) throw new EventStoreError(errorCodes.invalidArgument, `event ${event.type} has no JSON data`)
  return {
    id: event.id ?? randomUUID(),
    type: event.type,
    // Unstated, data is taken as written now: stamping 1 would upcast current data on read.
    schemaVersion: event.schemaVersion ?? (isTradeEventType(event.type) ? eventCatalogue[event.type].schemaVersion : 1),
    data,
    metadata: JSON.stringify(event.metadata),
    idempotencyKey: event.idempotencyKey ?? null,
    recordedAt: event.recordedAt ?? recordedAt,
  }
}
