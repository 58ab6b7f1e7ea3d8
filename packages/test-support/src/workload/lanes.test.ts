import { describe, expect, it } from 'vitest'
import { splitIntoLanes } from './lanes.js'
import { aggregateOf, workload } from './workload.js'

describe('splitIntoLanes', () => {
  const inputs = workload('lanes', 2_000)
  const lanes = splitIntoLanes(inputs, 4)

  it('hands every input to exactly one lane, and every lane some', () => {
    expect(lanes.flat().sort((a, b) => a.source.url.localeCompare(b.source.url))).toEqual([...inputs].sort((a, b) => a.source.url.localeCompare(b.source.url)))
    expect(lanes.every((lane) => lane.length > 0)).toBe(true)
  })

  it("keeps an aggregate's inputs in one lane, in the workload's order", () => {
    const idOf = (input: (typeof inputs)[number]) => aggregateOf(input).aggregateId
    for (const id of new Set(inputs.map(idOf))) {
      const holding = lanes.filter((lane) => lane.some((input) => idOf(input) === id))
      expect({ id, lanes: holding.length }).toEqual({ id, lanes: 1 })
      expect(holding[0]?.filter((input) => idOf(input) === id)).toEqual(inputs.filter((input) => idOf(input) === id))
    }
  })
})
