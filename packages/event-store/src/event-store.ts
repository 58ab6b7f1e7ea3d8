import { randomUUID } from 'node:crypto'
import type { Db } from '@tradewatch/db'
import { aggregateIdPattern, aggregateTypes, eventCatalogue, isTradeEventType, streamIdOf } from '@tradewatch/domain'
import type { Logger } from '@tradewatch/logger'
import { EventStoreError, errorCodes } from './errors.js'
import { GroupCommitter } from './group-committer.js'
import type { PreparedEvent } from './plan-batch.js'
import { type KeyedEvent, readAll, readHead, readStream, readStreamsAndKeys } from './read-events.js'
import type { AppendedEvent, EventStore, NewEvent, StreamRef } from './types.js'

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
    readStreams: async (streams) => (await readStreamsAndKeys(db, streams.map(validStreamId), [])).histories,
    readAll: ({ after, limit }) => readAll(db, after, limit),
    head: () => readHead(db),
    findByIdempotencyKeys: async (keys) => byKey((await readStreamsAndKeys(db, [], keys)).known),
    async readStreamsAndKeys(streams, keys) {
      const { histories, known } = await readStreamsAndKeys(db, streams.map(validStreamId), keys)
      return { histories, known: byKey(known) }
    },
    stats: () => committer.stats(),
    async close() {
      closed = true
      await committer.flushed()
    },
  }
}

const byKey = (found: readonly KeyedEvent[]) =>
  new Map(
    found.map(({ key, eventId, version, position, streamId }): [string, AppendedEvent & { streamId: string }] => [
      key,
      { eventId, version, position, streamId, status: 'duplicate' },
    ]),
  )

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
