import { randomUUID } from 'node:crypto'
import { type AggregateType, deciders, eventCatalogue, isDomainError, parseEnvelope, streamIdOf, type TradeEvent } from '@tradewatch/domain'
import { type EventStore, type NewEvent, type StreamRef, WrongExpectedVersionError } from '@tradewatch/event-store'
import { type Problem, problem } from '@tradewatch/service-kit'
import { type AggregateLoader, createAggregateLoader } from './aggregate-loader.js'
import type { EventInput } from './event-input.js'
import { idempotencyKeyOf } from './idempotency.js'
import { StreamLocks } from './stream-locks.js'

export interface RecordedEvent {
  status: 'appended' | 'duplicate'
  eventId: string
  aggregateType: AggregateType
  aggregateId: string
  version: number
  position: number
  /** On a duplicate only: the stream of the original event. */
  streamId?: string
}

/** The decider found nothing to record (e.g. a rate change to the rate in force). */
export interface UnchangedAggregate {
  status: 'unchanged'
  aggregateType: AggregateType
  aggregateId: string
  version: number
}

export interface RejectedInput {
  status: 'rejected'
  problem: Problem
}

export type InputOutcome = RecordedEvent | UnchangedAggregate | RejectedInput

/** What recording needs: the event store, and a loader that shares reads among concurrent requests. */
export interface Recording {
  store: EventStore
  loader: AggregateLoader
  locks: StreamLocks
}

/** One per process: HTTP and NATS producers share its loader and its locks. */
export const createRecording = (store: EventStore): Recording => ({ store, loader: createAggregateLoader(store), locks: new StreamLocks() })

/** Rounds of re-deciding on fresh state when a concurrent writer appended to the same aggregate. */
const maxAttempts = 8

interface Pending {
  index: number
  input: EventInput
  key: string
}

interface Group {
  stream: StreamRef
  pending: Pending[]
}

/**
 * Records a batch of submitted facts, each accepted or rejected on its own: a rejected input
 * writes nothing, the others are appended. Inputs are grouped by aggregate, each aggregate's
 * events read once, decided in input order on the running state and appended in one call;
 * the event store group-commits the aggregates' appends into shared transactions.
 */
export async function recordBatch({ store, loader, locks }: Recording, inputs: readonly EventInput[]): Promise<InputOutcome[]> {
  const outcomes: InputOutcome[] = new Array(inputs.length)
  const groups = new Map<string, Group>()
  const firstWithKey = new Map<string, number>()
  const sameAsEarlier: [index: number, earlier: number][] = []

  inputs.forEach((input, index) => {
    const aggregateType = eventCatalogue[input.type as keyof typeof eventCatalogue].aggregateType
    const aggregateId = (aggregateType === 'measure' ? input.measureId : input.agreementId) as string
    const streamId = streamIdOf(aggregateType, aggregateId)
    const key = idempotencyKeyOf(input, streamId)
    const earlier = firstWithKey.get(key)
    if (earlier !== undefined) {
      sameAsEarlier.push([index, earlier])
      return
    }
    firstWithKey.set(key, index)
    const group = groups.get(streamId) ?? { stream: { aggregateType, aggregateId }, pending: [] }
    group.pending.push({ index, input, key })
    groups.set(streamId, group)
  })

  // Held from read to append: this process's requests on one aggregate take turns.
  const release = await locks.acquire(groups.keys())
  try {
    const asNew: [string, Group, Decision][] = []
    const toRead: [string, Group][] = []
    for (const [streamId, group] of groups) {
      const decision = decideAsNew(group)
      if (decision) asNew.push([streamId, group, decision])
      else toRead.push([streamId, group])
    }
    await Promise.all([
      toRead.length ? recordRead(store, loader, toRead, outcomes) : undefined,
      ...asNew.map(async ([streamId, group, decision]) => {
        try {
          await appendDecision(store, group.stream, decision, outcomes)
        } catch (err) {
          // The aggregate exists after all: decide again on what it holds.
          if (!(err instanceof WrongExpectedVersionError)) throw err
          await recordRead(store, loader, [[streamId, group]], outcomes)
        }
      }),
    ])
  } finally {
    release()
  }

  for (const [index, earlier] of sameAsEarlier) {
    const first = outcomes[earlier] as InputOutcome
    outcomes[index] = first.status === 'appended' ? { ...first, status: 'duplicate' } : first
  }
  return outcomes
}

/**
 * Facts that would start a new aggregate (an announcement, a proposal) are decided on the empty
 * state and appended at version 0, skipping the read: the store checks the version under its
 * lock, and a stream that exists fails the append and takes the read path. An input recorded
 * before is found by the store too (every key known: a duplicate). Only appends are trusted
 * this way; a group with any refusal, no-op or expected version is decided on a read.
 */
function decideAsNew(group: Group): Decision | undefined {
  const decision = decideAggregate(group.stream, [], group.pending)
  return decision.settled.length === 0 ? decision : undefined
}

/** Reads the aggregates and the recorded keys (shared with concurrent requests), then decides and appends, re-reading on a conflict. */
async function recordRead(store: EventStore, loader: AggregateLoader, groups: [string, Group][], outcomes: InputOutcome[]) {
  const { histories, known } = await loader.load(
    groups.map(([, g]) => g.stream),
    groups.flatMap(([, g]) => g.pending.map((p) => p.key)),
  )
  for (const [, group] of groups) {
    group.pending = group.pending.filter(({ index, key }) => {
      const found = known.get(key)
      if (found) outcomes[index] = { ...found, status: 'duplicate', ...group.stream }
      return !found
    })
  }
  await Promise.all(
    groups.map(async ([streamId, group]) => {
      let history = histories.get(streamId) ?? []
      for (let attempt = 1; group.pending.length; attempt++) {
        try {
          const decision = decideAggregate(group.stream, history, group.pending)
          for (const [index, outcome] of decision.settled) outcomes[index] = outcome
          await appendDecision(store, group.stream, decision, outcomes)
          return
        } catch (err) {
          if (!(err instanceof WrongExpectedVersionError)) throw err
          if (attempt >= maxAttempts) return contended(group.pending, streamId, outcomes)
          history = (await store.readStreams([group.stream])).get(streamId) ?? []
        }
      }
    }),
  )
}

/** What one aggregate's inputs decided on a given history: events to append, and inputs settled without one. */
interface Decision {
  baseVersion: number
  events: NewEvent[]
  /** The input each event answers (-1: an extra event of the input before it). */
  owners: number[]
  settled: [index: number, outcome: RejectedInput | UnchangedAggregate][]
}

/** Decides one aggregate's inputs in order on the running state, starting at the history's version. */
function decideAggregate(stream: StreamRef, history: readonly unknown[], pending: readonly Pending[]): Decision {
  const decider = deciders[stream.aggregateType]
  let state = history.reduce((s: unknown, raw) => {
    const { type, data } = parseEnvelope(raw)
    return decider.evolve(s, { type, data } as TradeEvent)
  }, decider.initial)
  const baseVersion = history.length
  let version = baseVersion
  const decision: Decision = { baseVersion, events: [], owners: [], settled: [] }

  for (const { index, input, key } of pending) {
    if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
      decision.settled.push([
        index,
        rejected(
          problem(409, 'WRONG_EXPECTED_VERSION', 'Wrong expected version', {
            detail: `expected version ${input.expectedVersion} of ${streamIdOf(stream.aggregateType, stream.aggregateId)}, found ${version}`,
            expectedVersion: input.expectedVersion,
            actualVersion: version,
          }),
        ),
      ])
      continue
    }
    let decided: TradeEvent[]
    try {
      decided = decider.decide(state, { type: input.type, data: input.data } as TradeEvent)
    } catch (err) {
      if (!isDomainError(err)) throw err
      decision.settled.push([index, rejected(problem(422, err.code, 'Domain rule refused the event', { detail: err.message, details: err.details }))])
      continue
    }
    if (decided.length === 0) {
      decision.settled.push([index, { status: 'unchanged', ...stream, version }])
      continue
    }
    const correlationId = input.correlationId ?? randomUUID()
    decided.forEach((event, i) => {
      state = decider.evolve(state, event)
      decision.events.push({
        type: event.type,
        schemaVersion: eventCatalogue[event.type].schemaVersion,
        data: event.data,
        // The submitted fact carries the key; anything more the decider adds is keyed off it.
        idempotencyKey: i === 0 ? key : `${key}#${i}`,
        metadata: {
          occurredAt: input.occurredAt,
          effectiveAt: input.effectiveAt ?? null,
          source: input.source,
          correlationId,
          causationId: input.causationId ?? null,
        },
      })
      decision.owners.push(i === 0 ? index : -1)
    })
    version += decided.length
  }
  return decision
}

/** Appends what was decided at the version it was decided on; duplicates answer as the read path does. */
async function appendDecision(store: EventStore, stream: StreamRef, decision: Decision, outcomes: InputOutcome[]) {
  if (decision.events.length === 0) return
  const result = await store.append(stream, decision.events, { expectedVersion: decision.baseVersion })
  result.events.forEach((appended, i) => {
    const index = decision.owners[i] as number
    if (index < 0) return
    const { status, ...ids } = appended
    outcomes[index] = status === 'appended' ? { ...appended, ...stream } : { ...ids, streamId: result.streamId, status, ...stream }
  })
}

const rejected = (p: Problem): RejectedInput => ({ status: 'rejected', problem: p })

/** Other replicas kept winning the race for this aggregate: nothing was written, try again. */
function contended(pending: readonly Pending[], streamId: string, outcomes: InputOutcome[]) {
  const p = problem(503, 'AGGREGATE_CONTENDED', 'Aggregate busy', {
    detail: `${streamId} changed under ${maxAttempts} attempts in a row; nothing was written, retry`,
  })
  for (const { index } of pending) outcomes[index] = rejected(p)
}
