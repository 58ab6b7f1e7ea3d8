import fc from 'fast-check'
import type { GeneratedHistory } from './generate-history.js'
import type { TariffQuestion } from './tariff-oracle.js'

const askedOrigins = ['US', 'CA', 'CN', 'MX', 'JP', 'IN', 'BR', 'GB', 'KR', 'DE', 'VN', 'CL']

/**
 * Random tariff questions aimed where answers are: the imposer, often a target, and a code of a generated measure
 * (cut to a broader code or padded to a narrower one, 2–10 digits), on a world day from 2018 to 2027, as known now
 * or at an instant of the recording period. Deterministic per seed.
 */
export function tariffQuestions(history: GeneratedHistory, { seed, count }: { seed: number; count: number }): TariffQuestion[] {
  const openings = history.events.filter((e) => e.type === 'MeasureAnnounced' || e.type === 'MeasureThreatened')
  const first = Date.parse(history.events[0]?.recordedAt ?? '2018-01-01')
  const last = Date.parse(history.events.at(-1)?.recordedAt ?? '2027-01-01')
  const question = fc.record({
    opening: fc.constantFrom(...openings),
    origin: fc.constantFrom(...askedOrigins),
    useTarget: fc.boolean(),
    index: fc.nat(),
    digits: fc.constantFrom(2, 4, 6, 8, 10),
    asOf: fc.integer({ min: Date.parse('2018-01-01'), max: Date.parse('2027-12-31') }),
    knownAt: fc.option(fc.integer({ min: first, max: last }), { freq: 2 }),
  })
  return fc.sample(question, { seed, numRuns: count }).map((q) => {
    const data = q.opening.data as { imposer: string; targets: { countries?: string[] }; products: { code: string }[]; tariffLines?: string[] }
    const codes = [...data.products.map((p) => p.code), ...(data.tariffLines ?? [])]
    const code = codes[q.index % Math.max(1, codes.length)] ?? '870380'
    const targets = data.targets.countries ?? []
    const origin = q.useTarget && targets.length > 0 ? (targets[q.index % targets.length] as string) : q.origin
    return {
      imposer: data.imposer,
      // A country's own goods do not enter it: ask about another origin.
      origin: origin === data.imposer ? (askedOrigins.find((o) => o !== data.imposer) ?? 'CN') : origin,
      hs: code.length >= q.digits ? code.slice(0, q.digits) : code.padEnd(q.digits, '0'),
      asOf: new Date(q.asOf).toISOString().slice(0, 10),
      ...(q.knownAt === null ? {} : { knownAt: new Date(q.knownAt).toISOString() }),
    }
  })
}
