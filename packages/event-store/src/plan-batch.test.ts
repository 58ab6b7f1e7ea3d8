import { describe, expect, it } from 'vitest'
import { type PendingAppend, type PreparedEvent, planBatch } from './plan-batch.js'

let ids = 0
const event = (idempotencyKey: string | null = null): PreparedEvent => ({
  id: `e${++ids}`,
  type: 'T',
  schemaVersion: 1,
  data: '{}',
  metadata: '{}',
  idempotencyKey,
  recordedAt: new Date(0),
})
const append = (streamId: string, events: PreparedEvent[], expectedVersion: PendingAppend['expectedVersion'] = 'any'): PendingAppend => ({
  streamId,
  aggregateType: 'measure',
  aggregateId: streamId,
  expectedVersion,
  events,
})
const emptyState = (head = 0) => ({ head, versions: new Map<string, number>(), known: new Map() })

describe('planBatch', () => {
  it('applies appends to one stream in queue order against the running version', () => {
    const { rows, outcomes } = planBatch([append('a', [event()], 'no_stream'), append('a', [event()], 1), append('a', [event()], 1)], emptyState(10))
    expect(rows.map((r) => [r.position, r.version])).toEqual([
      [11, 1],
      [12, 2],
    ])
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false])
    expect(outcomes[2]).toMatchObject({ ok: false, error: { code: 'WRONG_EXPECTED_VERSION', expected: 1, actual: 2 } })
  })

  it('lets a conflict fail only its own append', () => {
    const state = emptyState()
    state.versions.set('a', 3)
    const { rows, outcomes } = planBatch([append('a', [event()], 2), append('b', [event(), event()])], state)
    expect(outcomes.map((o) => o.ok)).toEqual([false, true])
    expect(rows.map((r) => [r.streamId, r.position, r.version])).toEqual([
      ['b', 1, 1],
      ['b', 2, 2],
    ])
  })

  it('marks known keys and keys repeated in the group as duplicates of the first', () => {
    const state = emptyState(5)
    state.known.set('old', { eventId: 'x', version: 4, position: 3, streamId: 'z' })
    const { rows, outcomes } = planBatch([append('a', [event('old'), event('new'), event('new')], 'no_stream'), append('b', [event('new')], 7)], state)
    expect(rows).toHaveLength(1)
    const [first, second] = outcomes
    expect(first?.ok && first.result.events.map((e) => [e.status, e.position])).toEqual([
      ['duplicate', 3],
      ['appended', 6],
      ['duplicate', 6],
    ])
    // All duplicates: a retry succeeds without its (stale) expected version being checked.
    expect(second?.ok && second.result.events[0]).toMatchObject({ status: 'duplicate', position: 6 })
  })
})
