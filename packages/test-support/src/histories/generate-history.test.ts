import { type AggregateType, deciders, parseEnvelope, type TradeEvent } from '@tradewatch/domain'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arbitraryHistory, type GeneratedHistory, generateHistory, toEnvelope, toIngestInput } from './generate-history.js'

/** Replays each stream through its decider: every event must be decided as exactly itself. */
const refusals = (history: GeneratedHistory): string[] => {
  const states = new Map<string, unknown>()
  const found: string[] = []
  for (const event of history.events) {
    const decider = deciders[event.aggregateType as AggregateType]
    const state = states.get(event.aggregateId) ?? decider.initial
    const proposed = { type: event.type, data: event.data } as TradeEvent
    let decided: TradeEvent[] = []
    try {
      decided = decider.decide(state, proposed)
    } catch (err) {
      found.push(`${event.position} ${event.type} on ${event.aggregateId}: ${(err as Error).message}`)
    }
    if (decided.length !== 1 || decided[0] !== proposed) found.push(`${event.position} ${event.type} on ${event.aggregateId} decided ${decided.length} events`)
    states.set(
      event.aggregateId,
      decided.reduce((s: unknown, e) => decider.evolve(s, e), state),
    )
  }
  return found
}

const worldDay = (e: { metadata: { occurredAt: string; effectiveAt: string | null } }) => (e.metadata.effectiveAt ?? e.metadata.occurredAt).slice(0, 10)

describe('generateHistory', () => {
  const history = generateHistory({ seed: 7, events: 10_000 })

  it('given a seed, then the same history, ids included; another seed, another history', () => {
    expect(generateHistory({ seed: 7, events: 10_000 })).toEqual(history)
    const other = generateHistory({ seed: 8, events: 10_000 })
    expect(other.events.map((e) => e.id)).not.toEqual(history.events.map((e) => e.id))
    expect(new Set([...history.events, ...other.events].map((e) => e.id)).size).toBe(20_000)
  }, 30_000)

  it('then every event is one the deciders accept, in stream order', () => {
    expect(refusals(history)).toEqual([])
  })

  it('then every envelope passes parseEnvelope with its data unchanged', () => {
    for (const event of history.events) expect(parseEnvelope(toEnvelope(event)).data).toEqual(event.data)
  })

  it('then each event is also an ingest input naming its aggregate, with its own idempotency key', () => {
    const inputs = history.events.map(toIngestInput)
    const first = history.events.findIndex((e) => e.aggregateType === 'measure')
    const event = history.events[first]
    expect(inputs[first]).toEqual({
      type: event?.type,
      measureId: event?.aggregateId,
      occurredAt: event?.metadata.occurredAt,
      source: event?.metadata.source,
      data: event?.data,
      idempotencyKey: event?.idempotencyKey,
      correlationId: event?.metadata.correlationId,
    })
    expect(inputs.filter((i) => 'agreementId' in i)).toHaveLength(history.events.filter((e) => e.aggregateType === 'agreement').length)
    expect(new Set(inputs.map((i) => i.idempotencyKey)).size).toBe(inputs.length)
  })

  it('then positions count 1..n, versions count per stream and knowledge time never goes back', () => {
    const versions = new Map<string, number>()
    history.events.forEach((event, i) => {
      expect(event.position).toBe(i + 1)
      expect(event.aggregateVersion).toBe((versions.get(event.aggregateId) ?? 0) + 1)
      versions.set(event.aggregateId, event.aggregateVersion)
      if (i > 0) expect(event.recordedAt >= (history.events[i - 1]?.recordedAt ?? '')).toBe(true)
    })
  })

  it('then it is realistic: many measures and agreements, every lifecycle step, world time out of step with knowledge time', () => {
    const { events } = history
    const count = (type: string) => events.filter((e) => e.type === type).length
    expect(history.measureIds.length).toBeGreaterThan(500)
    expect(history.agreementIds.length).toBeGreaterThan(50)
    const lifecycle = `MeasureAnnounced MeasureThreatened MeasureEnteredIntoForce MeasureRateChanged MeasureScopeChanged ExemptionGranted
      ExemptionRevoked TariffRateQuotaSet MeasureSuspended MeasureReinstated MeasureRevoked MeasureExpired MeasureInvalidatedByCourt
      MeasureLinked NegotiationsLaunched AgreementSigned CommitmentRecorded`.split(/\s+/)
    for (const type of lifecycle) expect(count(type), type).toBeGreaterThan(5)
    expect(new Set(events.map((e) => (e.data as { imposer?: string }).imposer).filter(Boolean)).size).toBeGreaterThan(10)
    // Late-arriving facts: recorded after a fact of the same stream that happened later in the world.
    const lastDay = new Map<string, string>()
    let late = 0
    for (const e of events) {
      if (worldDay(e) < (lastDay.get(e.aggregateId) ?? '')) late++
      if (worldDay(e) > (lastDay.get(e.aggregateId) ?? '')) lastDay.set(e.aggregateId, worldDay(e))
    }
    expect(late).toBeGreaterThan(200)
    const ahead = events.filter((e) => e.metadata.effectiveAt !== null && e.metadata.effectiveAt > e.recordedAt.slice(0, 10)).length
    const backDated = events.filter((e) => e.metadata.effectiveAt !== null && e.metadata.effectiveAt < e.metadata.occurredAt).length
    expect(ahead).toBeGreaterThan(500)
    expect(backDated).toBeGreaterThan(50)
  })
})

describe('arbitraryHistory', () => {
  it('for any seed, every event is accepted by the deciders and parses', () => {
    fc.assert(
      fc.property(arbitraryHistory({ events: 300 }), (history) => {
        expect(refusals(history)).toEqual([])
        for (const event of history.events) parseEnvelope(toEnvelope(event))
      }),
      { numRuns: 25 },
    )
  })
})
