import { describe, expect, it } from 'vitest'
import { countryCodeSchema, isPartyCode, partyCodeSchema, partyCodes, partyName } from './countries.js'

describe('countries and parties', () => {
  it('knows the 250 ISO 3166-1 alpha-2 countries from i18n-iso-countries, plus EU', () => {
    expect(partyCodes()).toHaveLength(251)
    expect(partyCodes()).toContain('EU')
  })
  it('names parties by their official English name', () => {
    expect(partyName('CA')).toBe('Canada')
    expect(partyName('CN')).toBe("People's Republic of China")
    expect(partyName('EU')).toBe('European Union')
  })
  it('throws a RangeError for an unknown code', () => {
    expect(() => partyName('XX')).toThrow(RangeError)
  })
  it('treats EU as a party but not as a country', () => {
    expect(isPartyCode('EU')).toBe(true)
    expect(partyCodeSchema.safeParse('EU').success).toBe(true)
    expect(countryCodeSchema.safeParse('EU').success).toBe(false)
  })
  it('reports a malformed code once, not also as unknown', () => {
    expect(partyCodeSchema.safeParse('ca').error?.issues.map((i) => i.message)).toEqual(['must be two upper-case letters (ISO 3166-1 alpha-2, or EU)'])
  })
  it('rejects lower case, three letters and unassigned codes', () => {
    for (const code of ['ca', 'CAN', 'XX', 'UK']) expect(partyCodeSchema.safeParse(code).success, code).toBe(false)
  })
})
