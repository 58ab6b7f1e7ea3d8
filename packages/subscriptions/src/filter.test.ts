import { describe, expect, it } from 'vitest'
import { subscriptionFilterSchema } from './filter.js'

const issuesOf = (value: unknown) => {
  const parsed = subscriptionFilterSchema.safeParse(value)
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
}

describe('subscription filter', () => {
  it('accepts every dimension at once', () => {
    const filter = {
      countries: ['CA', 'CN'],
      imposers: ['EU'],
      origins: ['US'],
      hs: ['87', '8703', '870380', '8703800010'],
      measureKinds: ['surtax', 'anti_dumping'],
      eventTypes: ['MeasureAnnounced', 'AgreementSigned'],
      agreementIds: ['ca-cn-2026'],
      parties: ['CA'],
      minRateChangePp: 5,
      rateDirection: 'decrease',
    }
    expect(subscriptionFilterSchema.parse(filter)).toEqual(filter)
  })

  it('accepts the catch-all', () => {
    expect(subscriptionFilterSchema.parse({})).toEqual({})
  })

  it.each([
    [{ countries: ['XX'] }, 'countries.0', 'is neither an ISO 3166-1 alpha-2 country code nor EU'],
    [{ imposers: ['ca'] }, 'imposers.0', 'must be two upper-case letters (ISO 3166-1 alpha-2, or EU)'],
    [{ hs: ['8'] }, 'hs.0', 'must be 2 to 10 digits (an HS chapter, heading, subheading or tariff-line prefix)'],
    [{ hs: ['77'] }, 'hs.0', 'does not start with a known HS chapter'],
    [{ hs: ['87038000101'] }, 'hs.0', 'must be 2 to 10 digits (an HS chapter, heading, subheading or tariff-line prefix)'],
    [{ eventTypes: ['MeasureInvented'] }, 'eventTypes.0', 'is not an event type of the catalogue'],
    [{ agreementIds: ['Not A Slug'] }, 'agreementIds.0', 'must be a lowercase slug: a-z, 0-9 and -, at most 100 characters'],
    [{ origins: [] }, 'origins', 'must list at least one value; leave the key out to match any'],
  ])('rejects %j naming the field', (value, path, message) => {
    expect(issuesOf(value)).toEqual([{ path, message }])
  })

  it('rejects an unknown measure kind, a negative threshold and an unknown direction, each by path', () => {
    expect(issuesOf({ measureKinds: ['tarif'], minRateChangePp: -1, rateDirection: 'up' }).map((issue) => issue.path)).toEqual([
      'measureKinds.0',
      'minRateChangePp',
      'rateDirection',
    ])
  })

  it('rejects unknown keys, so a typo never widens a filter', () => {
    expect(issuesOf({ country: ['CA'] })).toEqual([{ path: '', message: 'Unrecognized key: "country"' }])
  })
})
