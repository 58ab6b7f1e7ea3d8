import { aggregateTypeOf, type TradeEventType } from '@tradewatch/domain'

/** One fact as a producer posts it to ingest (POST /v1/events), valid against the catalogue. */
export interface WorkloadInput {
  type: TradeEventType
  measureId?: string
  agreementId?: string
  occurredAt: string
  effectiveAt?: string
  source: { kind: 'news'; url: string; title: string }
  data: Record<string, unknown>
}

// Real HS 2022 headings with one of their subheadings, and parties the catalogue knows.
const products = [
  ['8703', '870380'],
  ['7208', '720851'],
  ['1205', '120510'],
  ['2710', '271012'],
  ['8541', '854143'],
  ['0406', '040690'],
  ['9403', '940360'],
  ['3004', '300490'],
  ['6204', '620462'],
  ['8704', '870421'],
] as const
const parties = ['CA', 'CN', 'US', 'MX', 'EU', 'JP', 'KR', 'IN', 'BR', 'GB', 'AU', 'VN'] as const
const kinds = ['tariff', 'surtax', 'anti_dumping', 'countervailing', 'safeguard'] as const

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length] as T
const day = (base: number, offset: number) => new Date(Date.UTC(2019, 0, 1) + (base + offset) * 86_400_000).toISOString().slice(0, 10)

/**
 * A measure's life in up to ten events the deciders accept in this order: announced, in force, a rate rise,
 * an exemption, a wider scope, a quota, a suspension with an end, reinstated, a retroactive rate change,
 * and (every other measure) revoked. Varied by `n`: imposer, targets (listed or erga omnes), products, rates.
 */
function measureLife(tag: string, n: number, rateChanges: number): WorkloadInput[] {
  const measureId = `${tag}-m${n}`
  const imposer = pick(parties, n)
  const target = pick(parties, n + 1 + (n % 5))
  const other = pick(parties, n + 7)
  const [heading, subheading] = pick(products, n)
  const [extra] = pick(products, n + 3)
  const ergaOmnes = n % 7 === 3
  const percent = 5 + (n % 40)
  const base = (n * 37) % 2_000
  const at = (offset: number) => day(base, offset)
  const lives: [TradeEventType, number, Record<string, unknown>, number?][] = [
    [
      'MeasureAnnounced',
      0,
      {
        kind: pick(kinds, n),
        title: `Workload measure ${n} on ${heading}`,
        imposer,
        targets: ergaOmnes ? { mode: 'all_except', excluded: [target] } : { mode: 'listed', countries: [target] },
        products: [{ code: heading }],
        productText: `goods of heading ${heading}`,
        rate: { type: 'ad_valorem', percent },
        direction: n % 6 === 5 ? 'liberalising' : 'restrictive',
        plannedEffectiveAt: at(30),
        legalBasis: { jurisdiction: imposer, instrument: `Order ${n}` },
      },
      30,
    ],
    ['MeasureEnteredIntoForce', 30, {}],
    ['MeasureRateChanged', 60, { after: { type: 'ad_valorem', percent: percent + 5 } }],
    ['ExemptionGranted', 90, { exemptionId: 'relief', products: [{ code: subheading }], rateWithin: { type: 'ad_valorem', percent: 1 }, until: at(400) }],
    ['MeasureScopeChanged', 120, ergaOmnes || other === imposer || other === target ? { addedProducts: [{ code: extra }] } : { addedTargets: [other] }],
    [
      'TariffRateQuotaSet',
      150,
      {
        quotaId: 'tq',
        quantity: 1_000 + n,
        unit: 'TNE',
        period: 'calendar_year',
        inQuotaRate: { type: 'ad_valorem', percent: 2 },
        outQuotaRate: null,
      },
    ],
    ['MeasureSuspended', 180, { reason: 'reprieve', until: at(270) }],
    ['MeasureReinstated', 270, {}],
    // A long-lived measure: a rate change a day (each to a new rate, so none is a no-op).
    ...Array.from({ length: rateChanges }, (_, i): [TradeEventType, number, Record<string, unknown>] => [
      'MeasureRateChanged',
      271 + i,
      { after: { type: 'ad_valorem', percent: 100 + i } },
    ]),
    // Recorded late, effective earlier: a correction the bitemporal lines must place in the past.
    ['MeasureRateChanged', 300 + rateChanges, { after: { type: 'ad_valorem', percent: percent + 10 } }, 200],
  ]
  if (n % 2 === 1) lives.push(['MeasureRevoked', 365 + rateChanges, { reason: 'repealed' }])
  return lives.map(([type, offset, data, effective], version) => ({
    type,
    measureId,
    occurredAt: at(offset),
    ...(effective !== undefined ? { effectiveAt: at(effective) } : {}),
    source: { kind: 'news', url: `https://example.org/workload/${measureId}/${version + 1}`, title: `${type} of ${measureId}` },
    data,
  }))
}

/** An agreement's life in six events: launched, talks suspended and resumed, concluded, signed, in force. */
function agreementLife(tag: string, n: number): WorkloadInput[] {
  const agreementId = `${tag}-a${n}`
  const a = pick(parties, n)
  const b = pick(parties, n + 1 + (n % 4))
  const lives: [TradeEventType, number, Record<string, unknown>][] = [
    ['NegotiationsLaunched', 0, { kind: 'fta', title: `Workload agreement ${n}`, parties: [a, b] }],
    ['TalksSuspended', 40, { by: a, reason: 'a dispute' }],
    ['TalksResumed', 90, {}],
    ['AgreementConcluded', 200, {}],
    ['AgreementSigned', 260, {}],
    ['AgreementEnteredIntoForce', 400, {}],
  ]
  const base = (n * 53) % 2_000
  return lives.map(([type, offset, data], version) => ({
    type,
    agreementId,
    occurredAt: day(base, offset),
    source: { kind: 'news', url: `https://example.org/workload/${agreementId}/${version + 1}`, title: `${type} of ${agreementId}` },
    data,
  }))
}

/**
 * `count` facts on many measures and agreements (one agreement per four measures), which the deciders accept
 * when recorded in this order; `rateChanges` more rate changes make each measure a long-lived one. Groups of 50 aggregates are interleaved, so a batch touches many aggregates and
 * each aggregate spans several batches; any prefix is valid too. Deterministic for a given `tag`.
 */
export function workload(tag: string, count: number, { rateChanges = 0 } = {}): WorkloadInput[] {
  const inputs: WorkloadInput[] = []
  for (let group = 0; inputs.length < count; group++) {
    const lives = Array.from({ length: 50 }, (_, i) => {
      const n = group * 50 + i
      return n % 5 === 4 ? agreementLife(tag, n) : measureLife(tag, n, rateChanges)
    })
    for (let step = 0; lives.some((life) => step < life.length); step++) {
      for (const life of lives) if (step < life.length) inputs.push(life[step] as WorkloadInput)
    }
  }
  return inputs.slice(0, count)
}

/** The aggregate an input belongs to, as its stream is keyed. */
export const aggregateOf = (input: WorkloadInput) => ({
  aggregateType: aggregateTypeOf(input.type),
  aggregateId: (input.measureId ?? input.agreementId) as string,
})
