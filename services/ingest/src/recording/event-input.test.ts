import { describe, expect, it } from 'vitest'
import { validateInput } from './validate-input.js'

const linkInput = (data: unknown, schemaVersion?: number) => ({
  type: 'MeasureLinked',
  measureId: 'ca-cn-ev-surtax',
  occurredAt: '2026-01-16',
  source: { kind: 'news', url: 'https://example.org/arrangement', title: 'Canada–China arrangement' },
  data,
  ...(schemaVersion === undefined ? {} : { schemaVersion }),
})
const v2 = { relation: 'implements_commitment', target: { aggregateType: 'agreement', id: 'ca-cn-2026-arrangement' } }
const v1 = { relation: 'implements_commitment', agreementId: 'ca-cn-2026-arrangement' }

const problemPaths = (raw: unknown) => {
  const result = validateInput(raw)
  if (result.ok || result.outcome.status !== 'rejected') throw new Error('expected a rejection')
  return (result.outcome.problem as { errors?: { path: string }[] }).errors?.map((e) => e.path)
}

describe('event input schema versions', () => {
  it('given current (v2) data without a version, then it is accepted as it is', () => {
    expect(validateInput(linkInput(v2))).toMatchObject({ ok: true, input: { data: v2 } })
  })
  it('given v1 data declared as schemaVersion 1, then it is upcast to v2 before deciding and fingerprinting', () => {
    expect(validateInput(linkInput(v1, 1))).toMatchObject({ ok: true, input: { data: v2 } })
  })
  it('given v1 data without a version, then it is refused naming the v2 field', () => {
    expect(problemPaths(linkInput(v1))).toContain('/data/target')
  })
  it('given a version from the future, then it is refused naming schemaVersion', () => {
    expect(problemPaths(linkInput(v2, 3))).toEqual(['/schemaVersion'])
  })
})
