import { generateHistory, toIngestInput } from '@tradewatch/test-support'
import { describe, expect, it } from 'vitest'
import { validateInput } from './validate-input.js'

describe('generated histories as ingest input', () => {
  it('given 2,000 generated events, then every one is a valid submission', () => {
    const rejected = generateHistory({ seed: 3, events: 2_000 })
      .events.map(toIngestInput)
      .map((input) => validateInput(input))
      .filter((result) => !result.ok)
    expect(rejected.slice(0, 3)).toEqual([])
  })
})
