import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { InvalidEventError } from '../errors/invalid-event-error.js'
import { announced } from '../testing/measure-fixtures.js'
import { eventCatalogue } from './event-catalogue.js'
import { createEnvelopeParser, eventOf, parseEnvelope, upcastData } from './parse-envelope.js'

const envelope = (overrides: Record<string, unknown> = {}) => ({
  id: '0b8f2a36-64a4-4c52-9f0e-2f8f3f1e9c11',
  type: 'MeasureAnnounced',
  schemaVersion: 1,
  aggregateType: 'measure',
  aggregateId: 'ca-cn-ev-surtax',
  aggregateVersion: 1,
  position: 42,
  occurredAt: '2024-08-26',
  effectiveAt: '2024-10-01',
  recordedAt: '2026-03-02T10:00:00.000Z',
  source: { kind: 'government_release', url: 'https://www.canada.ca/en/department-finance/news/2024/08/x.html', title: 'Canada protects workers' },
  correlationId: 'c2a1e9f4-5d2b-4f0e-8a6b-1d2e3f4a5b6c',
  causationId: null,
  data: announced().data,
  ...overrides,
})

const thrown = (fn: () => unknown): InvalidEventError => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError)
    return error as InvalidEventError
  }
  throw new Error('expected an InvalidEventError')
}

describe('parseEnvelope', () => {
  it('returns the envelope with typed data', () => {
    const parsed = parseEnvelope(envelope())
    expect(parsed.type).toBe('MeasureAnnounced')
    if (parsed.type !== 'MeasureAnnounced') throw new Error('narrowing failed')
    expect(parsed.data.imposer).toBe('CA')
    expect(eventOf(parsed)).toEqual({ type: 'MeasureAnnounced', data: announced().data })
  })
  it('rejects a bad envelope with the path of each issue', () => {
    const error = thrown(() => parseEnvelope(envelope({ id: 'nope', position: 0 })))
    expect(error.code).toBe('INVALID_ENVELOPE')
    expect(error.issues.map((i) => i.path)).toEqual(['id', 'position'])
  })
  it('rejects bad data, prefixing paths with data', () => {
    const error = thrown(() => parseEnvelope(envelope({ data: { ...announced().data, imposer: 'XX' } })))
    expect(error.code).toBe('INVALID_EVENT_DATA')
    expect(error.issues).toEqual([{ path: 'data.imposer', message: 'is neither an ISO 3166-1 alpha-2 country code nor EU' }])
    expect(error.message).toContain('data.imposer: is neither')
  })
  it('rejects an unknown type', () => {
    expect(thrown(() => parseEnvelope(envelope({ type: 'MeasureVanished' }))).code).toBe('UNKNOWN_EVENT_TYPE')
  })
  it('rejects a type filed under the wrong aggregate', () => {
    expect(thrown(() => parseEnvelope(envelope({ aggregateType: 'agreement' }))).code).toBe('AGGREGATE_TYPE_MISMATCH')
  })
  it('rejects a schema version newer than the catalogue', () => {
    expect(thrown(() => parseEnvelope(envelope({ schemaVersion: 2 }))).code).toBe('UNSUPPORTED_SCHEMA_VERSION')
  })
})

describe('createEnvelopeParser upcasting', () => {
  // A pretend v3 of MeasureExpired: v1 had `reason`, v2 renamed it `note`, v3 added a required `sunsetClause`.
  const v3 = z.strictObject({ note: z.string().optional(), sunsetClause: z.boolean() })
  const catalogue = { ...eventCatalogue, MeasureExpired: { ...eventCatalogue.MeasureExpired, schemaVersion: 3, schema: v3 } }
  const upcasters = {
    MeasureExpired: {
      1: (data: unknown) => {
        const { reason, ...rest } = data as { reason?: string }
        return { ...rest, note: reason }
      },
      2: (data: unknown) => ({ ...(data as object), sunsetClause: false }),
    },
  }
  const parse = createEnvelopeParser(catalogue, upcasters)
  const expiredAt = (schemaVersion: number, data: unknown) => envelope({ type: 'MeasureExpired', schemaVersion, data })

  it('upcasts v1 data through every step to the current version', () => {
    const parsed = parse(expiredAt(1, { reason: 'five-year term ended' }))
    expect(parsed.schemaVersion).toBe(3)
    expect(parsed.data).toEqual({ note: 'five-year term ended', sunsetClause: false })
  })
  it('upcasts from an intermediate version', () => {
    expect(parse(expiredAt(2, { note: 'x' })).data).toEqual({ note: 'x', sunsetClause: false })
  })
  it('validates upcast data against the current schema', () => {
    expect(thrown(() => parse(expiredAt(1, { reason: 42 }))).issues[0]?.path).toBe('data.note')
  })
  it('refuses a version with no upcaster', () => {
    const gap = createEnvelopeParser(catalogue, { MeasureExpired: { 2: upcasters.MeasureExpired[2] } })
    const error = thrown(() => gap(expiredAt(1, {})))
    expect(error.code).toBe('MISSING_UPCASTER')
  })
})

describe('MeasureLinked v1 → v2 (the real upcaster)', () => {
  const linkedAt = (schemaVersion: number, data: unknown) => envelope({ type: 'MeasureLinked', schemaVersion, data })

  it('reads a stored v1 link to a measure as a v2 target', () => {
    const parsed = parseEnvelope(linkedAt(1, { relation: 'replaces', otherMeasureId: 'us-ca-ieepa-fentanyl', note: 'IEEPA voided' }))
    expect(parsed.schemaVersion).toBe(2)
    expect(parsed.data).toEqual({ relation: 'replaces', target: { aggregateType: 'measure', id: 'us-ca-ieepa-fentanyl' }, note: 'IEEPA voided' })
  })
  it('reads a stored v1 link to an agreement as a v2 target', () => {
    expect(parseEnvelope(linkedAt(1, { relation: 'implements_commitment', agreementId: 'ca-cn-2026-arrangement' })).data).toEqual({
      relation: 'implements_commitment',
      target: { aggregateType: 'agreement', id: 'ca-cn-2026-arrangement' },
    })
  })
  it('passes v2 data through unchanged', () => {
    const data = { relation: 'part_of_thread', target: { aggregateType: 'measure', id: 'eu-cn-bev-cvd' } }
    expect(parseEnvelope(linkedAt(2, data)).data).toEqual(data)
  })
  it('refuses a v1 link that named neither end, at the v2 path', () => {
    const error = thrown(() => parseEnvelope(linkedAt(1, { relation: 'replaces' })))
    expect(error.code).toBe('INVALID_EVENT_DATA')
    expect(error.issues[0]?.path).toBe('data.target.id')
  })
  it('upcasts producer input written at v1 and refuses versions from the future', () => {
    expect(upcastData('MeasureLinked', 1, { relation: 'counter_to', otherMeasureId: 'x' })).toEqual({
      relation: 'counter_to',
      target: { aggregateType: 'measure', id: 'x' },
    })
    expect(upcastData('MeasureAnnounced', 1, { any: 'thing' })).toEqual({ any: 'thing' })
    expect(thrown(() => upcastData('MeasureLinked', 3, {})).code).toBe('UNSUPPORTED_SCHEMA_VERSION')
  })
})
