import { hs, listed, pct, type Recorder } from './recorder.js'

// The 23 tariff items of the China Surtax Order (2024), SOR/2024-187, as the timeline lists them.
const evTariffItems = [
  '87022010',
  '87022020',
  '87023010',
  '87023020',
  '87024010',
  '87024020',
  '87029010',
  '87029020',
  '87034010',
  '87034090',
  '87035000',
  '87036010',
  '87036090',
  '87037000',
  '87038000',
  '87039000',
  '87044190',
  '87044200',
  '87044300',
  '87045100',
  '87045200',
  '87046000',
  '87049000',
]
const surtaxOrder = { jurisdiction: 'CA', instrument: 'China Surtax Order (2024)', authority: 'Customs Tariff s.53' }
const arrangement = 'ca-cn-2026-arrangement'

// Canada and China 2024–2026: Canada's surtaxes on Chinese EVs and metals, China's answers on canola, peas, pork and seafood,
// the January 2026 arrangement (EV quota for farm relief), visa-free travel, and the 2026 relief.
export function encodeCanadaChina(r: Recorder): void {
  const ev = 'ca-cn-ev-surtax'
  r.measure(ev, { from: '2024-08-26-ca-cn-ev-surtax-announced', on: '2024-08-26' }, 'MeasureAnnounced', {
    announcementId: 'ca-2024-08-26-china-surtaxes',
    kind: 'surtax',
    title: 'Surtax on Chinese electric vehicles',
    imposer: 'CA',
    targets: listed('CN'),
    products: hs('8702', '8703', '8704'),
    productText: 'Chinese-made electric and certain hybrid passenger cars, trucks, buses and delivery vans',
    rate: pct(100),
    legalBasis: surtaxOrder,
    direction: 'restrictive',
    plannedEffectiveAt: '2024-10-01',
  })
    .measure(ev, { from: '2024-10-01-ca-cn-ev-surtax-in-force', on: '2024-09-20', effective: '2024-10-01' }, 'MeasureScopeChanged', {
      addedTariffLines: evTariffItems,
      productText: 'EVs and hybrids under the 23 scheduled tariff items of the China Surtax Order (2024)',
    })
    .measure(ev, { from: '2024-10-01-ca-cn-ev-surtax-in-force', on: '2024-10-01' }, 'MeasureEnteredIntoForce', {})

  const metals = 'ca-cn-steel-aluminum-surtax'
  const metalsFrom = { from: '2024-10-22-ca-cn-steel-aluminum-surtax', on: '2024-10-22' }
  r.measure(metals, metalsFrom, 'MeasureAnnounced', {
    announcementId: 'ca-2024-08-26-china-surtaxes',
    kind: 'surtax',
    title: 'Surtax on Chinese steel and aluminum',
    imposer: 'CA',
    targets: listed('CN'),
    products: hs('72', '73', '76'),
    productText: 'certain Chinese steel and aluminum products',
    rate: pct(25),
    legalBasis: surtaxOrder,
    direction: 'restrictive',
    plannedEffectiveAt: '2024-10-22',
  }).measure(metals, metalsFrom, 'MeasureEnteredIntoForce', {})

  const canola = 'cn-ca-canola-ad'
  const probe = { from: '2024-09-03-cn-ca-canola-ad-probe', on: '2024-09-03' }
  const provisional = { from: '2025-08-12-cn-ca-canola-provisional-ad', on: '2025-08-12' }
  const canolaDefinition = {
    kind: 'anti_dumping' as const,
    title: 'Anti-dumping duty on Canadian canola seed',
    imposer: 'CN',
    targets: listed('CA'),
    products: hs('1205'),
    direction: 'restrictive' as const,
  }
  r.measure(canola, probe, 'MeasureThreatened', {
    ...canolaDefinition,
    productText: 'canola (planned anti-dumping investigation)',
    rate: null,
    statement: 'official_statement',
  })
    .measure(canola, probe, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: ev } })
    .measure(canola, provisional, 'MeasureAnnounced', {
      ...canolaDefinition,
      productText: 'rapeseed / canola seed (provisional anti-dumping deposit)',
      rate: pct(75.8, 'deposit'),
      legalBasis: { jurisdiction: 'CN', instrument: 'MOFCOM preliminary ruling', authority: 'anti-dumping' },
      plannedEffectiveAt: '2025-08-14',
    })
    .measure(canola, { ...provisional, on: '2025-08-14' }, 'MeasureEnteredIntoForce', {})

  const oilMealPeas = 'cn-ca-canola-oil-meal-peas'
  const porkSeafood = 'cn-ca-pork-seafood'
  const answer = { from: '2025-03-08-cn-ca-canola-oil-meal-peas', on: '2025-03-08' }
  const answerPork = { from: '2025-03-08-cn-ca-pork-seafood', on: '2025-03-08' }
  const tariffCommission = { jurisdiction: 'CN', instrument: 'State Council Tariff Commission notice', authority: 'anti-discrimination investigation' }
  r.measure(oilMealPeas, answer, 'MeasureAnnounced', {
    announcementId: 'cn-2025-03-08-anti-discrimination',
    kind: 'tariff',
    title: 'Chinese tariff on Canadian canola oil, meal and peas',
    imposer: 'CN',
    targets: listed('CA'),
    products: hs('1514', '230641', '071310'),
    productText: 'rapeseed (canola) oil, rapeseed meal and peas',
    rate: pct(100),
    legalBasis: tariffCommission,
    direction: 'restrictive',
    plannedEffectiveAt: '2025-03-20',
  }).measure(porkSeafood, answerPork, 'MeasureAnnounced', {
    announcementId: 'cn-2025-03-08-anti-discrimination',
    kind: 'tariff',
    title: 'Chinese tariff on Canadian pork and some seafood',
    imposer: 'CN',
    targets: listed('CA'),
    products: hs('0203', '030612', '030632', '030614', '030633'),
    productText: 'pork and some seafood',
    rate: pct(25),
    legalBasis: tariffCommission,
    direction: 'restrictive',
    plannedEffectiveAt: '2025-03-20',
  })
  for (const [id, from] of [
    [oilMealPeas, answer],
    [porkSeafood, answerPork],
  ] as const) {
    r.measure(id, from, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: ev } })
      .measure(id, from, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: metals } })
      .measure(id, { ...from, on: '2025-03-20' }, 'MeasureEnteredIntoForce', {})
  }

  encodeArrangement2026(r, { ev, canola, oilMealPeas, porkSeafood })
}

function encodeArrangement2026(r: Recorder, ids: { ev: string; canola: string; oilMealPeas: string; porkSeafood: string }): void {
  const beijing = { from: '2026-01-16-ca-cn-beijing-arrangement', on: '2026-01-16' }
  const quota = { from: '2026-01-16-ca-cn-ev-quota', on: '2026-01-16' }
  const visa = { from: '2026-02-15-cn-ca-gb-visa-free', on: '2026-02-15' }
  const visaMeasure = 'cn-ca-gb-visa-free-2026'
  r.agreement(arrangement, beijing, 'NegotiationsLaunched', { kind: 'negotiation', title: 'Canada–China trade talks', parties: ['CA', 'CN'] })
    .agreement(arrangement, beijing, 'PreliminaryArrangementAnnounced', {
      summary: 'EV quota for Canada in return for relief on Chinese duties on canola and other farm and sea products',
      kind: 'arrangement',
      title: 'Canada–China preliminary arrangement on EVs and canola',
    })
    .agreement(arrangement, quota, 'CommitmentRecorded', {
      commitmentId: 'ca-ev-quota',
      party: 'CA',
      type: 'quota',
      description: 'up to 49,000 Chinese EVs a year at 6.1% rather than the 100% surtax',
      measureIds: [ids.ev],
    })
    .agreement(arrangement, beijing, 'CommitmentRecorded', {
      commitmentId: 'cn-farm-sea-relief',
      party: 'CN',
      type: 'tariff_cut',
      description: 'relief on Chinese duties on Canadian canola and other farm and sea products',
      measureIds: [ids.canola, ids.oilMealPeas, ids.porkSeafood],
    })
    .agreement(arrangement, visa, 'CommitmentRecorded', {
      commitmentId: 'cn-visa-free',
      party: 'CN',
      type: 'visa',
      description: 'visa-free entry up to 30 days for Canadians',
      measureIds: [visaMeasure],
    })

  r.measure(ids.ev, quota, 'TariffRateQuotaSet', {
    quotaId: 'ev-quota-2026',
    quantity: 49_000,
    unit: 'NAR',
    period: 'calendar_year',
    inQuotaRate: pct(6.1),
    outQuotaRate: null,
    origins: ['CN'],
  })
    .measure(ids.ev, quota, 'MeasureLinked', { relation: 'implements_commitment', target: { aggregateType: 'agreement', id: arrangement } })
    .measure(ids.ev, { from: '2026-02-24-ca-cn-ev-surtax-repealed', on: '2026-02-24', effective: '2026-03-01' }, 'MeasureRevoked', {
      reason: 'deal',
      note: 'the 100% EV surtax ends on 1 March 2026',
    })

  r.measure(visaMeasure, visa, 'MeasureAnnounced', {
    kind: 'travel_visa',
    title: 'Visa-free entry to China for Canadians and Britons',
    imposer: 'CN',
    targets: listed('CA', 'GB'),
    products: [],
    productText: 'visa-free entry up to 30 days for ordinary passport holders (business, tourism, visits, exchange, transit), until 31 December 2026',
    rate: null,
    legalBasis: { jurisdiction: 'CN', instrument: 'National Immigration Administration announcement' },
    direction: 'liberalising',
    plannedEffectiveAt: '2026-02-17',
  })
    .measure(visaMeasure, visa, 'MeasureLinked', { relation: 'implements_commitment', target: { aggregateType: 'agreement', id: arrangement } })
    .measure(visaMeasure, { ...visa, on: '2026-02-17' }, 'MeasureEnteredIntoForce', {})

  // Partial relief: pork and canola oil keep their duties, so these are exemptions with an end date, not suspensions.
  const relief = { on: '2026-02-27', effective: '2026-03-01' }
  r.measure(ids.porkSeafood, { from: '2026-02-27-cn-ca-lobster-crab-suspended', ...relief }, 'ExemptionGranted', {
    exemptionId: 'lobster-crab-2026',
    products: hs('030612', '030632', '030614', '030633'),
    rateWithin: pct(0),
    until: '2027-01-01',
    description: 'lobsters and crabs, suspended through 31 December 2026',
  }).measure(ids.oilMealPeas, { from: '2026-02-27-cn-ca-meal-peas-suspended', ...relief }, 'ExemptionGranted', {
    exemptionId: 'meal-peas-2026',
    products: hs('230641', '071310'),
    rateWithin: pct(0),
    until: '2027-01-01',
    description: 'oil cakes (canola meal) and peas, suspended through 31 December 2026',
  })

  r.measure(ids.canola, { from: '2026-03-01-cn-ca-canola-final-ad', on: '2026-02-28', effective: '2026-03-01' }, 'MeasureRateChanged', {
    before: pct(75.8, 'deposit'),
    after: pct(5.9, 'duty'),
    reason: 'final determination, five years',
  })
}
