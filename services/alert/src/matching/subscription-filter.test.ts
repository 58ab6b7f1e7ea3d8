import { describe, expect, it } from 'vitest'
import { matches } from './subscription-filter.js'

const event = { type: 'MeasureAnnounced', aggregateType: 'measure', aggregateId: 'ca-cn-ev-surtax' }

describe('subscription filter', () => {
  it('an empty filter matches every event', () => {
    expect(matches({}, event)).toBe(true)
  })

  it('each dimension narrows', () => {
    expect(matches({ eventTypes: ['MeasureAnnounced'] }, event)).toBe(true)
    expect(matches({ eventTypes: ['MeasureRevoked'] }, event)).toBe(false)
    expect(matches({ aggregateTypes: ['agreement'] }, event)).toBe(false)
    expect(matches({ aggregateIds: ['ca-cn-ev-surtax'], aggregateTypes: ['measure'] }, event)).toBe(true)
    expect(matches({ aggregateIds: ['other'] }, event)).toBe(false)
  })
})
