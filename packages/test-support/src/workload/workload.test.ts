import { deciders, sourceSchema, type TradeEvent, tradeEventSchema, worldTimeSchema } from '@tradewatch/domain'
import { describe, expect, it } from 'vitest'
import { aggregateOf, workload } from './workload.js'

describe('workload', () => {
  const inputs = workload('w', 3_000)

  it('gives exactly the count asked for, on many measures and agreements', () => {
    expect(inputs).toHaveLength(3_000)
    const aggregates = new Set(inputs.map((i) => JSON.stringify(aggregateOf(i))))
    expect(aggregates.size).toBeGreaterThan(300)
    expect(new Set(inputs.map((i) => aggregateOf(i).aggregateType))).toEqual(new Set(['measure', 'agreement']))
  })

  // 3,000 facts through zod and the deciders: about a second alone, past vitest's 5 s default on a loaded machine.
  it.each([
    ['short-lived', inputs],
    ['long-lived (60 more rate changes each)', workload('l', 3_000, { rateChanges: 60 })],
  ])(
    'is valid against the catalogue, and every fact is one the deciders record (none rejected, none a no-op): %s measures',
    (_, facts) => {
      const states = new Map<string, unknown>()
      for (const input of facts) {
        const event = tradeEventSchema.parse({ type: input.type, data: input.data }) as TradeEvent
        sourceSchema.parse(input.source)
        worldTimeSchema.parse(input.occurredAt)
        const { aggregateType, aggregateId } = aggregateOf(input)
        const decider = deciders[aggregateType]
        const state = states.get(aggregateId) ?? decider.initial
        expect(decider.decide(state, event)).toEqual([event])
        states.set(aggregateId, decider.evolve(state, event))
      }
    },
    30_000,
  )

  it('names every fact by its own source url, so ingest records each once', () => {
    expect(new Set(inputs.map((i) => i.source.url)).size).toBe(inputs.length)
  })
})
