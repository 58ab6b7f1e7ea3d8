import {
  type AggregateType,
  type AgreementEvent,
  deciders,
  type EventMetadata,
  eventCatalogue,
  isAgreementEnded,
  isDomainError,
  type MeasureEvent,
  type RawEnvelope,
  type Source,
  sourceKinds,
  type TradeEvent,
} from '@tradewatch/domain'
import fc from 'fast-check'
import { type AgreementTrack, proposeAgreementMove, proposeAgreementOpening } from './agreement-proposals.js'
import { Draw } from './draw.js'
import { type MeasureTrack, type Proposal, proposeMeasureMove, proposeOpening } from './measure-proposals.js'
import { dayOf } from './world.js'

export interface HistoryOptions {
  /** How many events (default 1,000). */
  events?: number
  /** First and last recording instants (defaults 2018-01-01 and 2026-11-28): recordedAt grows between them. */
  from?: string
  to?: string
}

/** One event of a generated history: what to append (stream, expected version, event) and where it lands. */
export interface HistoryEvent {
  aggregateType: AggregateType
  aggregateId: string
  /** Its version in the stream: append with expectedVersion = aggregateVersion - 1. */
  aggregateVersion: number
  /** Its global position when the history is appended, in order, to an empty store. */
  position: number
  id: string
  type: TradeEvent['type']
  schemaVersion: number
  data: unknown
  metadata: EventMetadata
  /** Knowledge time: non-decreasing along the history, so every prefix is what was known at some moment. */
  recordedAt: string
  idempotencyKey: string
}

export interface GeneratedHistory {
  events: HistoryEvent[]
  measureIds: string[]
  agreementIds: string[]
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')

/** Proposals per event before giving up on the drawn aggregate and drawing another. */
const attempts = 8

/**
 * A realistic, decider-respecting history as a fast-check arbitrary: measures opened by threats and announcements
 * across real countries and HS codes, then rate changes, scope changes, exemptions, quotas, suspensions,
 * reinstatements, revocations and links; agreements from launched talks to termination. Every proposed fact is run
 * through the real decider and kept only if it is accepted and changes something. World times vary around the
 * recording clock: effective dates ahead and back-dated, late-arriving facts, and rate corrections that restate an
 * earlier effective day, so occurredAt/effectiveAt order differs from recordedAt order.
 */
export const arbitraryHistory = (options: HistoryOptions = {}): fc.Arbitrary<GeneratedHistory> =>
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.gen()).map(([tag, g]) => buildHistory(new Draw(g), tag, options))

/** The history fast-check draws for `seed`: the same seed gives the same events, ids included. */
export const generateHistory = ({ seed, ...options }: HistoryOptions & { seed: number }): GeneratedHistory => {
  const [history] = fc.sample(arbitraryHistory(options), { seed, numRuns: 1 })
  if (history === undefined) throw new Error('fast-check drew no history')
  return history
}

function buildHistory(draw: Draw, tag: number, { events: total = 1_000, from = '2018-01-01T00:00:00Z', to = '2026-11-28T00:00:00Z' }: HistoryOptions) {
  const start = Date.parse(from)
  const meanStep = (Date.parse(to) - start) / total
  const measures: MeasureTrack[] = []
  const agreements: AgreementTrack[] = []
  const liveMeasures: MeasureTrack[] = []
  const events: HistoryEvent[] = []
  const versions = new Map<string, number>()
  const neighbours = { measureIds: [] as string[], agreementIds: [] as string[] }
  // About ten events a measure and one agreement for every ten measures.
  const measureTarget = Math.max(3, Math.round(total / 10))
  let clock = start
  let next = start

  const record = (aggregateType: AggregateType, aggregateId: string, proposal: Proposal<TradeEvent>) => {
    clock = next
    const position = events.length + 1
    const version = (versions.get(aggregateId) ?? 0) + 1
    versions.set(aggregateId, version)
    const source: Source = {
      kind: sourceKinds[position % sourceKinds.length] ?? 'news',
      url: `https://example.org/history/${hex(tag, 8)}/${position}`,
      title: `${proposal.event.type} of ${aggregateId}`,
    }
    const id = `${hex(tag, 8)}-${hex(Math.floor(position / 0x10000), 4)}-4${hex(position % 0x1000, 3)}-8${hex(version % 0x1000, 3)}-${hex(position, 12)}`
    events.push({
      aggregateType,
      aggregateId,
      aggregateVersion: version,
      position,
      id,
      type: proposal.event.type,
      schemaVersion: eventCatalogue[proposal.event.type].schemaVersion,
      data: proposal.event.data,
      metadata: { occurredAt: proposal.occurredAt, effectiveAt: proposal.effectiveAt ?? null, source, correlationId: id, causationId: null },
      recordedAt: new Date(clock).toISOString(),
      idempotencyKey: `history:${hex(tag, 8)}:${position}`,
    })
  }

  // Runs a proposal through the aggregate's decider; keeps it only if accepted as is.
  const decided = (aggregateType: AggregateType, state: unknown, proposal: Proposal<TradeEvent> | undefined): unknown => {
    if (proposal === undefined) return undefined
    const decider = deciders[aggregateType]
    try {
      const [event, ...more] = decider.decide(state, proposal.event)
      if (event === undefined || more.length > 0) return undefined
      return decider.evolve(state, event)
    } catch (err) {
      if (isDomainError(err)) return undefined
      throw err
    }
  }

  // Draws up to `attempts` proposals for one aggregate and records the first its decider accepts.
  const move = <T extends { id: string; state: unknown }, E extends TradeEvent>(
    aggregateType: AggregateType,
    track: T,
    propose: () => Proposal<E> | undefined,
    accepted: (proposal: Proposal<E>) => void,
  ) => {
    for (let i = 0; i < attempts; i++) {
      const proposal = propose()
      const next = decided(aggregateType, track.state, proposal)
      if (next === undefined || proposal === undefined) continue
      track.state = next as T['state']
      accepted(proposal)
      record(aggregateType, track.id, proposal)
      return
    }
  }

  while (events.length < total) {
    // The clock moves when a fact is recorded, so `to` is reached whatever share of proposals the deciders refuse.
    next = clock + draw.int(0, Math.round(2 * meanStep))
    const day = dayOf(next)
    const roll = draw.int(0, 99)
    const talking = agreements.filter((a) => !isAgreementEnded(a.state))
    if (agreements.length === 0 || (roll < 3 && agreements.length <= measures.length / 8)) {
      const proposal = proposeAgreementOpening(draw, day, agreements.length + 1)
      const track: AgreementTrack = {
        id: `a-${agreements.length + 1}`,
        state: deciders.agreement.initial as AgreementTrack['state'],
        openedOn: day,
        commitments: 0,
        reviews: 0,
      }
      track.state = decided('agreement', track.state, proposal) as AgreementTrack['state']
      agreements.push(track)
      neighbours.agreementIds.push(track.id)
      record('agreement', track.id, proposal)
    } else if (roll < 12 && talking.length > 0) {
      const track = draw.pick(talking)
      move(
        'agreement',
        track,
        () => proposeAgreementMove(draw, track, day, neighbours),
        (proposal) => noteAgreementFact(track, proposal.event),
      )
    } else if (liveMeasures.length < measureTarget / 4 || (roll < 24 && measures.length < measureTarget) || measures.length === 0) {
      const n = measures.length + 1
      const proposal = proposeOpening(draw, day, n)
      const imposer = (proposal.event.data as { imposer: string }).imposer.toLowerCase()
      const track: MeasureTrack = {
        id: `m-${imposer}-${n}`,
        state: deciders.measure.initial as MeasureTrack['state'],
        definedOn: day,
        lifecycleDay: day,
        rateDays: [],
        exemptions: 0,
        quotas: 0,
      }
      track.state = decided('measure', track.state, proposal) as MeasureTrack['state']
      measures.push(track)
      liveMeasures.push(track)
      neighbours.measureIds.push(track.id)
      record('measure', track.id, proposal)
    } else {
      // Mostly live measures; now and then an ended one, which only takes links.
      const pool = draw.chance(0.97) && liveMeasures.length > 0 ? liveMeasures : measures
      const track = draw.pick(pool)
      move(
        'measure',
        track,
        () => proposeMeasureMove(draw, track, day, neighbours),
        (proposal) => {
          noteMeasureFact(track, proposal)
          if (['revoked', 'expired', 'invalidated_by_court'].includes(track.state.status)) liveMeasures.splice(liveMeasures.indexOf(track), 1)
        },
      )
    }
  }
  return { events, measureIds: neighbours.measureIds, agreementIds: neighbours.agreementIds }
}

const lifecycleSteps: readonly string[] = [
  'MeasureAnnounced',
  'MeasureEnteredIntoForce',
  'MeasureSuspended',
  'MeasureReinstated',
  'MeasureRevoked',
  'MeasureExpired',
  'MeasureInvalidatedByCourt',
]

function noteMeasureFact(track: MeasureTrack, { event, occurredAt, effectiveAt }: Proposal<MeasureEvent>) {
  if (lifecycleSteps.includes(event.type)) track.lifecycleDay = effectiveAt ?? occurredAt
  // A later announcement restates the measure: what follows takes effect from then on.
  if (event.type === 'MeasureAnnounced') {
    track.definedOn = occurredAt
    track.rateDays = []
  }
  if (event.type === 'ExemptionGranted') track.exemptions++
  if (event.type === 'TariffRateQuotaSet') track.quotas++
  if (event.type === 'MeasureRateChanged' || event.type === 'MeasureEnteredIntoForce') track.rateDays.push(effectiveAt ?? occurredAt)
}

function noteAgreementFact(track: AgreementTrack, event: AgreementEvent) {
  if (event.type === 'CommitmentRecorded') track.commitments++
  if (event.type === 'ReviewScheduled') track.reviews++
}

/** The envelope each event has once appended: what the relay publishes and `parseEnvelope` reads. */
export const toEnvelope = (event: HistoryEvent): RawEnvelope => ({
  id: event.id,
  type: event.type,
  schemaVersion: event.schemaVersion,
  aggregateType: event.aggregateType,
  aggregateId: event.aggregateId,
  aggregateVersion: event.aggregateVersion,
  position: event.position,
  occurredAt: event.metadata.occurredAt,
  effectiveAt: event.metadata.effectiveAt,
  recordedAt: event.recordedAt,
  source: event.metadata.source,
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.causationId,
  data: event.data,
})

/**
 * The event as `EventStore.append` takes it (`NewEvent`), with its own id and recordedAt so the stored history is
 * the generated one: `store.append({ aggregateType, aggregateId }, [toNewEvent(e)], { expectedVersion: e.aggregateVersion - 1 })`.
 */
export const toNewEvent = (event: HistoryEvent) => ({
  id: event.id,
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: event.metadata,
  idempotencyKey: event.idempotencyKey,
  recordedAt: new Date(event.recordedAt),
})

/**
 * The event as a producer submits it to ingest (`POST /v1/events`): ingest decides it again (the history is one its
 * deciders accept, in order) and stamps its own recordedAt, so knowledge time becomes the time of posting.
 */
export const toIngestInput = (event: HistoryEvent) => ({
  type: event.type,
  ...(event.aggregateType === 'measure' ? { measureId: event.aggregateId } : { agreementId: event.aggregateId }),
  occurredAt: event.metadata.occurredAt,
  ...(event.metadata.effectiveAt === null ? {} : { effectiveAt: event.metadata.effectiveAt }),
  source: event.metadata.source,
  data: event.data,
  idempotencyKey: event.idempotencyKey,
  correlationId: event.metadata.correlationId,
})
