import { describe, expect, it } from 'vitest'
import { launched } from '../testing/agreement-fixtures.js'
import { agreementEventSchema } from './events.js'

describe('agreement event schemas', () => {
  it('accepts a launch between two parties', () => {
    expect(agreementEventSchema.safeParse(launched({ parties: ['CA', 'CN'] })).success).toBe(true)
  })
  it('requires at least two distinct parties', () => {
    const one = agreementEventSchema.safeParse(launched({ parties: ['CA'] }))
    expect(one.error?.issues[0]?.path).toEqual(['data', 'parties'])
    const twice = agreementEventSchema.safeParse(launched({ parties: ['CA', 'CA'] }))
    expect(twice.error?.issues[0]?.path).toEqual(['data', 'parties', 1])
  })
  it('rejects an unknown kind and an unknown field', () => {
    expect(agreementEventSchema.safeParse(launched({ kind: 'treaty' as never })).error?.issues[0]?.path).toEqual(['data', 'kind'])
    const extra = agreementEventSchema.safeParse({ type: 'AgreementEnteredIntoForce', data: { on: '2020-07-01' } })
    expect(extra.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['on'], path: ['data'] })
  })
  it('rejects an unknown commitment type', () => {
    const bad = { type: 'CommitmentRecorded', data: { commitmentId: 'x', party: 'CA', type: 'bribe', description: 'x' } }
    expect(agreementEventSchema.safeParse(bad).error?.issues[0]?.path).toEqual(['data', 'type'])
  })
})
