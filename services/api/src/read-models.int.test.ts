import { useTestEnvironment } from '@tradewatch/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoStack, useDemoStack } from './testing/demo-stack.js'
import { testApp } from './testing/test-app.js'

const env = useTestEnvironment()
const stack: DemoStack = useDemoStack(env)
let api: Awaited<ReturnType<typeof testApp>>

beforeAll(async () => {
  api = await testApp(env.db)
})
afterAll(async () => {
  await api?.app.close()
})

const tariffs = (query: string) => api.get(`/v1/tariffs?${query}`)
const ev = 'imposer=CA&origin=CN&hs=8703'

describe('GET /v1/tariffs: Canada’s surtax on Chinese EVs (demo data)', () => {
  it('on 2024-09-01 nothing applies: announced, not yet in force', async () => {
    const { status, body } = await tariffs(`${ev}&asOf=2024-09-01`)
    expect(status).toBe(200)
    expect(body).toEqual({
      query: { imposer: 'CA', origin: 'CN', hs: '8703', asOf: '2024-09-01', knownAt: null },
      measures: [],
      combinedAdditionalDuty: { percent: 0, complete: true },
    })
  })

  it('on 2025-06-01 the 100% surtax applies to the heading and each of its national lines', async () => {
    const { body } = await tariffs(`${ev}&asOf=2025-06-01`)
    expect(body.measures).toHaveLength(1)
    expect(body.measures[0]).toMatchObject({
      measureId: 'ca-cn-ev-surtax',
      title: 'Surtax on Chinese electric vehicles',
      kind: 'surtax',
      ratePercent: 100,
      coverage: 'whole',
    })
    expect(body.measures[0].lines[0]).toMatchObject({ hsPrefix: '8703', ratePercent: 100, validFrom: '2024-10-01' })
    expect(body.combinedAdditionalDuty).toEqual({ percent: 100, complete: true })
  })

  it('after the January 2026 arrangement: still 100%, with the 49,000-vehicle quota at 6.1% on the line', async () => {
    const { body } = await tariffs('imposer=CA&origin=CN&hs=870380&asOf=2026-02-01')
    const [surtax] = body.measures
    expect(surtax.ratePercent).toBe(100)
    expect(surtax.lines.map((l: { hsPrefix: string }) => l.hsPrefix)).toEqual(['8703', '87038000'])
    expect(surtax.lines[0].quotas).toEqual([
      expect.objectContaining({ quotaId: 'ev-quota-2026', quantity: 49000, inQuotaRate: { type: 'ad_valorem', percent: 6.1 } }),
    ])
  })

  it('after the revocation (2026-03-15) nothing applies as known now, but 100% as known before the revocation was recorded', async () => {
    expect((await tariffs(`${ev}&asOf=2026-03-15`)).body.measures).toEqual([])
    const before = await tariffs(`${ev}&asOf=2026-03-15&knownAt=${encodeURIComponent(stack.recordedBeforeRevocation)}`)
    expect(before.body.query.knownAt).toBe(stack.recordedBeforeRevocation)
    expect(before.body.measures.map((m: { measureId: string; ratePercent: number }) => [m.measureId, m.ratePercent])).toEqual([['ca-cn-ev-surtax', 100]])
  })

  it('a code broader than the lines (chapter 87) finds them as covering only part of it', async () => {
    const { body } = await tariffs('imposer=CA&origin=CN&hs=87&asOf=2025-06-01')
    expect(body.measures[0]).toMatchObject({ measureId: 'ca-cn-ev-surtax', ratePercent: null, coverage: 'part' })
    expect(body.combinedAdditionalDuty).toEqual({ percent: 0, complete: false })
  })

  it('stacks measures: China on Canadian canola oil', async () => {
    const { body } = await tariffs('imposer=CN&origin=CA&hs=151411&asOf=2026-06-01')
    expect(body.measures.map((m: { measureId: string }) => m.measureId)).toContain('cn-ca-canola-oil-meal-peas')
    expect(body.combinedAdditionalDuty.percent).toBe(body.measures.reduce((sum: number, m: { ratePercent: number | null }) => sum + (m.ratePercent ?? 0), 0))
  })

  it.each([
    ['imposer=XX&origin=CN&hs=8703', '/query/imposer'],
    ['imposer=CA&origin=cn&hs=8703', '/query/origin'],
    ['imposer=CA&origin=CN&hs=8', '/query/hs'],
    ['imposer=CA&origin=CN&hs=87a3', '/query/hs'],
    ['imposer=CA&origin=CN&hs=8703&asOf=2025-13-01', '/query/asOf'],
    ['imposer=CA&origin=CN&hs=8703&knownAt=yesterday', '/query/knownAt'],
    ['imposer=CA&origin=CN&hs=8703&asof=2025-01-01', '/query/asof'],
    ['origin=CN&hs=8703', '/query/imposer'],
    ['imposer=CA&origin=CN&hs=8703&minPosition=-1', '/query/minPosition'],
  ])('answers 400 for %s, naming %s', async (query, path) => {
    const { status, headers, body } = await tariffs(query)
    expect(status).toBe(400)
    expect(headers['content-type']).toContain('application/problem+json')
    expect(body).toMatchObject({ code: 'INVALID_REQUEST', status: 400 })
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path)
  })
})

/** Every item of a list, page by page with `limit`, following nextCursor. */
async function allPages(url: string, limit: number) {
  const items: any[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const separator = url.includes('?') ? '&' : '?'
    const { status, body } = await api.get(`${url}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    expect(status).toBe(200)
    expect(body.items.length).toBeLessThanOrEqual(limit)
    items.push(...body.items)
    cursor = body.nextCursor
    pages += 1
  } while (cursor)
  return { items, pages }
}

describe('GET /v1/measures', () => {
  it('pages over the 33 demo measures in id order, the same items as one big page, none twice', async () => {
    const whole = (await api.get('/v1/measures?limit=200')).body
    expect(whole.items).toHaveLength(33)
    expect(whole.nextCursor).toBeNull()
    const { items, pages } = await allPages('/v1/measures', 10)
    expect(pages).toBe(4)
    expect(items.map((m) => m.id)).toEqual(whole.items.map((m: { id: string }) => m.id))
    expect(items.map((m) => m.id)).toEqual([...items.map((m) => m.id)].sort())
  })

  it('filters by imposer, target (erga omnes included unless spared), kind and status', async () => {
    const { body } = await api.get('/v1/measures?imposer=CA&target=CN&limit=200')
    expect(body.items.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['ca-cn-ev-surtax', 'ca-cn-steel-aluminum-surtax']))
    for (const m of body.items) {
      expect(m.imposer).toBe('CA')
      expect(m.targets.includes('CN') || m.targets.includes('ALL')).toBe(true)
    }
    const revoked = (await api.get('/v1/measures?status=revoked&kind=surtax&limit=200')).body.items
    expect(revoked.map((m: { id: string }) => m.id)).toContain('ca-cn-ev-surtax')
    expect(revoked.every((m: { status: string; kind: string }) => m.status === 'revoked' && m.kind === 'surtax')).toBe(true)
  })

  it.each([
    ['status=gone', '/query/status'],
    ['kind=toll', '/query/kind'],
    ['target=ZZ', '/query/target'],
    ['limit=0', '/query/limit'],
    ['limit=201', '/query/limit'],
    ['limit=ten', '/query/limit'],
    ['cursor=not-a-cursor', '/query/cursor'],
  ])('answers 400 for %s, naming %s', async (query, path) => {
    const { status, body } = await api.get(`/v1/measures?${query}`)
    expect(status).toBe(400)
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual([path])
  })
})

describe('GET /v1/measures/:id', () => {
  it('gives the current state and every event that changed it, oldest first', async () => {
    const { status, body } = await api.get('/v1/measures/ca-cn-ev-surtax')
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: 'ca-cn-ev-surtax', imposer: 'CA', targets: ['CN'], status: 'revoked' })
    expect(body.history.map((h: { version: number }) => h.version)).toEqual(Array.from({ length: body.version }, (_, i) => i + 1))
    expect(body.history[0]).toMatchObject({ eventType: 'MeasureAnnounced', statusAfter: 'announced', ratePercentAfter: 100, occurredAt: '2024-08-26' })
    expect(body.history.at(-1)).toMatchObject({ eventType: 'MeasureRevoked', statusAfter: 'revoked', effectiveOn: '2026-03-01' })
  })

  it('answers 404 for an unknown measure and 400 for an id that is not a slug', async () => {
    expect(await api.get('/v1/measures/no-such-measure')).toMatchObject({ status: 404, body: { code: 'MEASURE_NOT_FOUND' } })
    const bad = await api.get('/v1/measures/Not_A_Slug')
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].path).toBe('/params/id')
  })
})

describe('GET /v1/agreements', () => {
  it('lists the five demo agreements, pages of two giving the same', async () => {
    const whole = (await api.get('/v1/agreements')).body.items.map((a: { id: string }) => a.id)
    expect(whole).toEqual(['ca-cn-2026-arrangement', 'us-ca-trade-talks-2025', 'us-cn-phase-one', 'us-cn-trade-talks-2025', 'usmca'])
    const { items, pages } = await allPages('/v1/agreements', 2)
    expect(pages).toBe(3)
    expect(items.map((a) => a.id)).toEqual(whole)
  })

  it('filters by party and kind', async () => {
    const withCa = (await api.get('/v1/agreements?party=CA')).body.items.map((a: { id: string }) => a.id)
    expect(withCa).toEqual(['ca-cn-2026-arrangement', 'us-ca-trade-talks-2025', 'usmca'])
    const talks = (await api.get('/v1/agreements?kind=negotiation')).body.items
    expect(talks.every((a: { kind: string }) => a.kind === 'negotiation')).toBe(true)
    expect((await api.get('/v1/agreements?kind=treaty')).body.errors[0].path).toBe('/query/kind')
  })

  it('gives one agreement with its status history', async () => {
    const { body } = await api.get('/v1/agreements/ca-cn-2026-arrangement')
    expect(body).toMatchObject({ id: 'ca-cn-2026-arrangement', parties: expect.arrayContaining(['CA', 'CN']) })
    expect(body.statusHistory[0]).toMatchObject({ eventType: 'NegotiationsLaunched', statusBefore: null, occurredAt: '2026-01-16' })
    expect(body.statusHistory.at(-1).statusAfter).toBe(body.status)
    expect((await api.get('/v1/agreements/nothing-here')).body.code).toBe('AGREEMENT_NOT_FOUND')
  })
})

describe('GET /v1/relations', () => {
  it('summarises Canada–China both ways on a date', async () => {
    const { status, body } = await api.get('/v1/relations/CA/CN?asOf=2025-06-01')
    expect(status).toBe(200)
    const [caCn, cnCa] = body.directions
    expect(caCn.active.map((m: { measureId: string }) => m.measureId)).toEqual(['ca-cn-ev-surtax', 'ca-cn-steel-aluminum-surtax'])
    expect(caCn.averageAdditionalDuty).toBe(62.5)
    expect(cnCa).toMatchObject({ imposer: 'CN', partner: 'CA' })
    const now = (await api.get('/v1/relations/CA/CN?asOf=2026-03-01')).body
    expect(now.agreements.map((a: { agreementId: string }) => a.agreementId)).toContain('ca-cn-2026-arrangement')
  })

  it('lists every pair of a country, paged by imposer then partner', async () => {
    const whole = (await api.get('/v1/relations?country=CA&limit=200')).body.items
    expect(whole.length).toBeGreaterThan(3)
    expect(whole).toContainEqual(expect.objectContaining({ imposer: 'CA', partner: 'CN' }))
    const { items } = await allPages('/v1/relations?country=CA', 3)
    expect(items).toEqual(whole)
  })

  it.each([
    ['/v1/relations/CA/XX', '/params/b'],
    ['/v1/relations/CA/CN?asOf=2025-02-30', '/query/asOf'],
    ['/v1/relations', '/query/country'],
    ['/v1/relations/CA/CA', '/params/b'],
  ])('answers 400 for %s, naming %s', async (url, path) => {
    const { status, body } = await api.get(url)
    expect(status).toBe(400)
    expect(body.errors[0].path).toBe(path)
  })
})

describe('GET /v1/timeline', () => {
  it('finds by full text with provenance, newest first', async () => {
    const { body } = await api.get('/v1/timeline?q=surtax%20electric%20vehicles&country=CA&type=MeasureRevoked')
    expect(body.items[0]).toMatchObject({ aggregateId: 'ca-cn-ev-surtax', eventType: 'MeasureRevoked', occurredOn: '2026-02-24' })
    expect(body.items[0].source.url).toMatch(/^https:\/\//)
  })

  it('pages over every event in newest-first order, across page boundaries, none twice', async () => {
    const { items } = await allPages('/v1/timeline?country=CN', 25)
    const keys = items.map((e) => `${e.occurredOn}/${String(e.position).padStart(8, '0')}`)
    expect(new Set(keys).size).toBe(items.length)
    expect(keys).toEqual([...keys].sort().reverse())
    expect(items.every((e) => e.countries.includes('CN'))).toBe(true)
    const whole = (await api.get('/v1/timeline?country=CN&limit=200')).body.items
    expect(items).toEqual(whole)
  })

  it('with text and a country (matched through the indexes first), pages newest first like the whole list', async () => {
    const { items } = await allPages('/v1/timeline?q=surtax&country=CN', 3)
    const keys = items.map((e) => `${e.occurredOn}/${String(e.position).padStart(8, '0')}`)
    expect(items.length).toBeGreaterThan(3)
    expect(keys).toEqual([...keys].sort().reverse())
    expect(items.every((e) => e.countries.includes('CN') && /surtax/i.test(`${e.title} ${e.summary} ${e.source.title}`))).toBe(true)
    expect(items).toEqual((await api.get('/v1/timeline?q=surtax&country=CN&limit=200')).body.items)
    expect((await api.get('/v1/timeline?q=surtax&country=CN&hs=01')).body.items).toEqual([])
  })

  it('filters by product and dates', async () => {
    const { body } = await api.get('/v1/timeline?hs=870380&from=2026-01-01&to=2026-04-01')
    expect(body.items.length).toBeGreaterThan(0)
    expect(body.items.every((e: { occurredOn: string }) => e.occurredOn >= '2026-01-01' && e.occurredOn < '2026-04-01')).toBe(true)
  })

  it.each([
    ['type=MeasureExploded', '/query/type'],
    ['hs=8', '/query/hs'],
    ['from=yesterday', '/query/from'],
    ['from=2026-01-01&to=2025-01-01', '/query/to'],
    ['q=', '/query/q'],
    [`q=${'x'.repeat(201)}`, '/query/q'],
    ['cursor=eyJ4IjoxfQ', '/query/cursor'],
  ])('answers 400 for %s, naming %s', async (query, path) => {
    const { status, body } = await api.get(`/v1/timeline?${query}`)
    expect(status).toBe(400)
    expect(body.errors[0].path).toBe(path)
  })
})

describe('reference look-ups', () => {
  it('GET /v1/countries gives codes and names, searchable, cacheable by anyone for a day', async () => {
    const { status, headers, body } = await api.get('/v1/countries?q=canada')
    expect(status).toBe(200)
    expect(body.items).toEqual([{ code: 'CA', name: 'Canada' }])
    expect(headers['cache-control']).toBe('public, max-age=86400')
    expect((await api.get('/v1/countries')).body.items).toContainEqual({ code: 'EU', name: 'European Union' })
  })

  it('GET /v1/hs finds by prefix and words, paged in code order', async () => {
    const { body } = await api.get('/v1/hs?prefix=8703&level=6')
    expect(body.items.map((e: { code: string }) => e.code)).toContain('870380')
    expect(body.items.every((e: { code: string; level: number }) => e.code.startsWith('8703') && e.level === 6)).toBe(true)
    const words = (await api.get('/v1/hs?q=colza')).body.items
    expect(words.length).toBeGreaterThan(0)
    expect(words.every((e: { description: string }) => /colza/i.test(e.description))).toBe(true)
    const { items, pages } = await allPages('/v1/hs?prefix=87', 40)
    expect(pages).toBeGreaterThan(1)
    expect(items[0].code).toBe('87')
    expect(items.map((e) => e.code)).toEqual([...items.map((e) => e.code)].sort())
    expect((await api.get('/v1/hs?prefix=8x')).body.errors[0].path).toBe('/query/prefix')
  })
})

describe('caching', () => {
  it('gives an ETag, and 304 with no body when If-None-Match has it', async () => {
    const first = await api.get('/v1/measures/ca-cn-ev-surtax')
    expect(first.headers['cache-control']).toBe('private, no-cache')
    const etag = String(first.headers.etag)
    const again = await api.app.inject({
      method: 'GET',
      url: '/v1/measures/ca-cn-ev-surtax',
      headers: { 'x-api-key': (await import('./testing/test-app.js')).analyst.key, 'if-none-match': etag },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
    expect((await api.get('/v1/measures/ca-cn-ev-surtax', { 'if-none-match': '"other"' })).status).toBe(200)
  })
})

describe('read-your-writes', () => {
  it('with minPosition, answers once the read models have the write', async () => {
    const position = await stack.record([
      {
        type: 'MeasureRateChanged',
        measureId: 'ca-cn-steel-aluminum-surtax',
        occurredAt: '2026-11-01',
        source: { kind: 'news', url: 'https://example.org/read-your-writes', title: 'A test source' },
        data: { after: { type: 'ad_valorem', percent: 30 } },
      },
    ])
    const { status, body } = await api.get(`/v1/measures/ca-cn-steel-aluminum-surtax?minPosition=${position}`)
    expect(status).toBe(200)
    expect(body.position).toBe(position)
    expect(body.adValoremRate).toBe(30)
    const viaHeader = await api.get('/v1/measures/ca-cn-steel-aluminum-surtax', { 'x-min-position': String(position) })
    expect(viaHeader.body.position).toBe(position)
  })

  it('answers 503 with Retry-After when the read models do not get there in time', async () => {
    const impatient = await testApp(env.db, { minPositionWaitMs: 100 })
    try {
      const { status, headers, body } = await impatient.get('/v1/tariffs?imposer=CA&origin=CN&hs=8703&minPosition=999999')
      expect(status).toBe(503)
      expect(headers['retry-after']).toBe('1')
      expect(body).toMatchObject({ code: 'PROJECTION_BEHIND' })
      expect((await impatient.get('/v1/tariffs?imposer=CA&origin=CN&hs=8703', { 'x-min-position': 'soon' })).body.errors[0].path).toBe(
        '/headers/x-min-position',
      )
    } finally {
      await impatient.app.close()
    }
  })
})
