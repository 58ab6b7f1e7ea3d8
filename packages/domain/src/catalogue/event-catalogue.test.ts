import { describe, expect, it } from 'vitest'
import { agreementEventSchema } from '../agreement/events.js'
import { measureEventSchema } from '../measure/events.js'
import { aggregateTypeOf, eventCatalogue, isTradeEventType } from './event-catalogue.js'
import { tradeEventSchema } from './trade-event.js'

describe('event catalogue', () => {
  it('lists every event of both aggregates exactly once', () => {
    const types = [...measureEventSchema.options, ...agreementEventSchema.options].map((s) => s.shape.type.value)
    expect(Object.keys(eventCatalogue).sort()).toEqual([...types].sort())
    expect(types).toHaveLength(35)
  })
  it('maps each type to its aggregate', () => {
    expect(aggregateTypeOf('MeasureLinked')).toBe('measure')
    expect(aggregateTypeOf('CommitmentRecorded')).toBe('agreement')
    expect(Object.values(eventCatalogue).filter((e) => e.aggregateType === 'measure')).toHaveLength(16)
  })
  it('gives every type a version and a one-sentence description', () => {
    for (const [type, entry] of Object.entries(eventCatalogue)) {
      expect(entry.schemaVersion, type).toBe(type === 'MeasureLinked' ? 2 : 1)
      // One sentence: a capital first, a full stop last, no full stop followed by a new sentence in between.
      expect(entry.description, type).toMatch(/^[A-Z](?:[^.]|\.(?! [A-Z]))*\.$/)
    }
  })
  it('uses the same data schema in the catalogue and the union', () => {
    const data = { newPlannedEffectiveAt: '2025-03-04' }
    expect(eventCatalogue.MeasurePostponed.schema.parse(data)).toEqual(tradeEventSchema.parse({ type: 'MeasurePostponed', data }).data)
  })
  it('recognises catalogue types only', () => {
    expect(isTradeEventType('AgreementSigned')).toBe(true)
    expect(isTradeEventType('toString')).toBe(false)
  })
})
