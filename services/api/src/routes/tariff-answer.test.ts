import type { AppliedTariff } from '@tradewatch/queries'
import { describe, expect, it } from 'vitest'
import { tariffAnswer } from './tariff-answer.js'

const line = (measureId: string, hsPrefix: string, ratePercent: number | null, origin = 'CN'): AppliedTariff => ({
  measureId,
  title: `title of ${measureId}`,
  imposer: 'CA',
  origin,
  hsPrefix,
  lineKind: hsPrefix.length > 6 ? 'national' : 'hs',
  kind: 'surtax',
  ratePercent,
  rate: ratePercent === null ? null : { type: 'ad_valorem', percent: ratePercent },
  exemptions: [],
  quotas: [],
  validFrom: '2025-01-01',
  validTo: null,
  recordedFrom: new Date('2025-01-01T00:00:00Z'),
  recordedTo: null,
})

describe('tariffAnswer', () => {
  it('given two measures covering the code, then their duties stack', () => {
    const answer = tariffAnswer('870380', [line('a', '8703', 100), line('b', '87', 10)])
    expect(answer.measures.map((m) => [m.measureId, m.ratePercent, m.coverage])).toEqual([
      ['a', 100, 'whole'],
      ['b', 10, 'whole'],
    ])
    expect(answer.combinedAdditionalDuty).toEqual({ percent: 110, complete: true })
  })

  it('given a national line under the heading asked about at another rate, then the heading rate counts and the sum is incomplete', () => {
    const answer = tariffAnswer('8703', [line('a', '8703', 25), line('a', '87038000', 50)])
    expect(answer.measures[0]).toMatchObject({ ratePercent: 25, coverage: 'whole', title: 'title of a' })
    expect(answer.measures[0]?.lines).toHaveLength(2)
    expect(answer.combinedAdditionalDuty).toEqual({ percent: 25, complete: false })
  })

  it('given the most specific covering line is an exemption at 0%, then 0% applies, not the broader rate', () => {
    const answer = tariffAnswer('230641', [line('a', '2306', 100), line('a', '230641', 0)])
    expect(answer.measures[0]?.ratePercent).toBe(0)
    expect(answer.combinedAdditionalDuty).toEqual({ percent: 0, complete: true })
  })

  it('given lines only under the code asked about, then the measure covers part of it and has no single rate', () => {
    const answer = tariffAnswer('87', [line('a', '8703', 100)])
    expect(answer.measures[0]).toMatchObject({ ratePercent: null, coverage: 'part' })
    expect(answer.combinedAdditionalDuty).toEqual({ percent: 0, complete: false })
  })

  it('given a line naming the origin and an erga omnes one on the same code, then the named origin wins', () => {
    const answer = tariffAnswer('8703', [line('a', '8703', 5, '*'), line('a', '8703', 30, 'CN')])
    expect(answer.measures[0]?.ratePercent).toBe(30)
  })

  it('given a measure without an ad valorem rate (a ban), then it is listed and the sum is incomplete', () => {
    const answer = tariffAnswer('8703', [line('ban', '', null)])
    expect(answer.measures[0]).toMatchObject({ coverage: 'whole', ratePercent: null })
    expect(answer.combinedAdditionalDuty).toEqual({ percent: 0, complete: false })
  })
})
