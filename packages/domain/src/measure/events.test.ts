import { describe, expect, it } from 'vitest'
import { announced } from '../testing/measure-fixtures.js'
import { measureEventSchema } from './events.js'

const issuesOf = (value: unknown) => {
  const result = measureEventSchema.safeParse(value)
  expect(result.success).toBe(false)
  return result.error?.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) ?? []
}

describe('measure event schemas', () => {
  it('accepts a full announcement and defaults the nomenclature to HS 2022', () => {
    const { products, ...rest } = announced().data
    const parsed = measureEventSchema.parse({ type: 'MeasureAnnounced', data: { ...rest, products: [{ code: '870380' }] } })
    expect(parsed.type === 'MeasureAnnounced' && parsed.data.products).toEqual([{ code: '870380', nomenclature: 'HS2022' }])
  })
  it('rejects an unknown country and names the path', () => {
    expect(issuesOf(announced({ imposer: 'XX' }))).toEqual([{ path: 'data.imposer', message: 'is neither an ISO 3166-1 alpha-2 country code nor EU' }])
  })
  it('rejects a lower-case country code in a target list', () => {
    expect(issuesOf(announced({ targets: { mode: 'listed', countries: ['cn'] } }))[0]?.path).toBe('data.targets.countries.0')
  })
  it('accepts EU as imposer and target', () => {
    expect(measureEventSchema.safeParse(announced({ imposer: 'EU', legalBasis: { jurisdiction: 'EU', instrument: 'Regulation 2024/2754' } })).success).toBe(
      true,
    )
  })
  it('rejects an HS code that does not exist in HS 2022', () => {
    expect(issuesOf(announced({ products: [{ code: '8799', nomenclature: 'HS2022' }] }))).toEqual([
      { path: 'data.products.0.code', message: '8799 is not a code of HS2022' },
    ])
  })
  it('rejects an HS code of the wrong length', () => {
    expect(issuesOf(announced({ products: [{ code: '870', nomenclature: 'HS2022' }] }))).toEqual([
      { path: 'data.products.0.code', message: 'must be 2, 4 or 6 digits (HS chapter, heading or subheading)' },
    ])
  })
  it('checks only the chapter of codes tagged with an older edition', () => {
    expect(measureEventSchema.safeParse(announced({ products: [{ code: '871199', nomenclature: 'HS2017' }] })).success).toBe(true)
    expect(issuesOf(announced({ products: [{ code: '7701', nomenclature: 'HS2017' }] }))[0]?.path).toBe('data.products.0.code')
  })
  it('keeps national tariff lines apart and checks their digits', () => {
    expect(measureEventSchema.safeParse(announced({ tariffLines: ['87038000', '8703800010'] })).success).toBe(true)
    expect(issuesOf(announced({ tariffLines: ['870380'] }))[0]?.path).toBe('data.tariffLines.0')
  })
  it('rejects an unknown field, naming it', () => {
    const issues = issuesOf({ ...announced(), data: { ...announced().data, surtax: 100 } })
    expect(issues).toEqual([{ path: 'data', message: expect.stringContaining('surtax') }])
  })
  it('rejects duplicate targets', () => {
    expect(issuesOf(announced({ targets: { mode: 'listed', countries: ['CN', 'CN'] } }))[0]?.path).toBe('data.targets.countries.1')
  })
  it('rejects an empty title and an over-long one', () => {
    expect(issuesOf(announced({ title: '' }))[0]?.path).toBe('data.title')
    expect(issuesOf(announced({ title: 'x'.repeat(201) }))[0]?.path).toBe('data.title')
  })
  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(issuesOf(announced({ plannedEffectiveAt: '1 October 2024' }))[0]?.path).toBe('data.plannedEffectiveAt')
  })
  it('accepts a specific rate with an ISO 4217 currency and rejects an unknown one', () => {
    const specific = { type: 'specific' as const, amount: 2.5, currency: 'CAD', unit: 'KGM' }
    expect(measureEventSchema.safeParse(announced({ rate: specific })).success).toBe(true)
    expect(issuesOf(announced({ rate: { ...specific, currency: 'XYZ' } }))[0]?.path).toBe('data.rate.currency')
  })
  it('requires a link to name its target as an aggregate type and id (v2)', () => {
    expect(issuesOf({ type: 'MeasureLinked', data: { relation: 'replaces' } })[0]?.path).toBe('data.target')
    expect(issuesOf({ type: 'MeasureLinked', data: { relation: 'replaces', target: { aggregateType: 'case', id: 'x' } } })[0]?.path).toBe(
      'data.target.aggregateType',
    )
    // The v1 shape is refused on input; stored v1 events are upcast by parseEnvelope.
    expect(issuesOf({ type: 'MeasureLinked', data: { relation: 'replaces', otherMeasureId: 'a' } }).map((i) => i.path)).toEqual(['data.target', 'data'])
  })
  it('requires an exemption to have a scope', () => {
    expect(issuesOf({ type: 'ExemptionGranted', data: { exemptionId: 'x' } })[0]?.message).toContain('must scope the exemption')
  })
  it('requires a scope change to change something', () => {
    expect(issuesOf({ type: 'MeasureScopeChanged', data: { addedProducts: [] } })[0]?.message).toContain('must change at least one')
  })
  it('rejects an unknown revocation reason', () => {
    expect(issuesOf({ type: 'MeasureRevoked', data: { reason: 'tired' } })[0]?.path).toBe('data.reason')
  })
  it('rejects an unknown event type', () => {
    expect(issuesOf({ type: 'MeasureVanished', data: {} })[0]?.path).toBe('type')
  })
})
