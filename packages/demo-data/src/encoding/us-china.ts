import { hs, listed, pct, type Recorder } from './recorder.js'

const s301 = { jurisdiction: 'US', instrument: 'USTR Section 301 action', authority: 's301' }
const ieepa = (citation: string) => ({ jurisdiction: 'US', instrument: 'Executive Order', authority: 'IEEPA', citation })
const tariffCommission = { jurisdiction: 'CN', instrument: 'State Council Tariff Commission announcement' }
const struckDown = { from: '2026-02-20-us-ca-mx-cn-ieepa-invalidated', on: '2026-02-20' }
const ruling = { court: 'Supreme Court of the United States', refundStatus: 'unknown' as const }
const talks = 'us-cn-trade-talks-2025'

// The US and China 2018–2026: Section 301 rounds and Phase One, the 2025 IEEPA duties and China's counter-tariffs, the Geneva
// truce and the Busan summit, and the court ruling that voided the IEEPA duties.
export function encodeUsChina(r: Recorder): void {
  encodeSection301(r)
  encodeIeepaDuties(r)
  encodeCountermeasures(r)
}

function encodeSection301(r: Recorder): void {
  const list1 = { from: '2018-07-06-us-cn-section-301-list-1', on: '2018-07-06' }
  r.measure('us-cn-s301-list-1', list1, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Section 301 duty on Chinese goods, list 1',
    imposer: 'US',
    targets: listed('CN'),
    products: [],
    productText: '818 Chinese import lines worth about $34 billion',
    rate: pct(25),
    legalBasis: s301,
    direction: 'restrictive',
    plannedEffectiveAt: '2018-07-06',
  }).measure('us-cn-s301-list-1', list1, 'MeasureEnteredIntoForce', {})

  // The timeline first shows list 4A at its 15% rate when Phase One halved it; it is recorded as in force from that source.
  const list4a = 'us-cn-s301-list-4a'
  const phaseOne = { from: '2020-01-15-us-cn-list-4a-cut', on: '2020-01-15' }
  r.measure(list4a, phaseOne, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Section 301 duty on Chinese goods, list 4A',
    imposer: 'US',
    targets: listed('CN'),
    products: [],
    productText: 'Section 301 List 4A goods',
    rate: pct(15),
    legalBasis: s301,
    direction: 'restrictive',
  })
    .measure(list4a, phaseOne, 'MeasureEnteredIntoForce', {})
    .measure(list4a, phaseOne, 'MeasureLinked', { relation: 'implements_commitment', target: { aggregateType: 'agreement', id: 'us-cn-phase-one' } })
    .measure(list4a, { ...phaseOne, effective: '2020-02-14' }, 'MeasureRateChanged', { before: pct(15), after: pct(7.5), reason: 'halved under Phase One' })

  const signed = { from: '2020-01-15-us-cn-phase-one', on: '2020-01-15' }
  r.agreement('us-cn-phase-one', signed, 'NegotiationsLaunched', { kind: 'negotiation', title: 'US–China trade talks', parties: ['US', 'CN'] })
    .agreement('us-cn-phase-one', signed, 'AgreementSigned', { kind: 'arrangement', title: 'Economic and Trade Agreement (Phase One)' })
    .agreement('us-cn-phase-one', signed, 'CommitmentRecorded', {
      commitmentId: 'cn-purchases',
      party: 'CN',
      type: 'purchase',
      description: 'additional purchases of US goods and services (with IP commitments)',
    })
    .agreement('us-cn-phase-one', phaseOne, 'CommitmentRecorded', {
      commitmentId: 'us-list-4a-cut',
      party: 'US',
      type: 'tariff_cut',
      description: 'List 4A duty halved from 15% to 7.5% for goods entered from 14 February 2020',
      measureIds: [list4a],
    })

  const review = 'us-cn-s301-strategic-sectors-2024'
  const reviewFrom = { from: '2024-09-13-us-cn-section-301-review', on: '2024-09-13' }
  r.measure(review, reviewFrom, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Section 301 increases on Chinese strategic sectors',
    imposer: 'US',
    targets: listed('CN'),
    products: hs('8703', '8507', '8541', '8542', '72', '73', '76'),
    productText:
      'Section 301 tariffs on strategic sectors (EVs, batteries, critical minerals, semiconductors, solar cells, steel and aluminum, medical products and others); rates vary by product',
    rate: null,
    legalBasis: { ...s301, citation: 'four-year review' },
    direction: 'restrictive',
    plannedEffectiveAt: '2024-09-27',
  }).measure(review, { ...reviewFrom, on: '2024-09-27' }, 'MeasureEnteredIntoForce', {})
}

function encodeIeepaDuties(r: Recorder): void {
  const fentanyl = 'us-cn-ieepa-fentanyl'
  const fentanylFrom = { from: '2025-02-04-us-cn-fentanyl-tariff', on: '2025-02-01' }
  const levy145 = { from: '2025-04-10-us-cn-additional-levy-145', on: '2025-04-10' }
  r.measure(fentanyl, fentanylFrom, 'MeasureAnnounced', {
    announcementId: 'us-2025-02-01-ieepa-orders',
    kind: 'tariff',
    title: 'IEEPA fentanyl tariff on Chinese goods',
    imposer: 'US',
    targets: listed('CN'),
    products: [],
    productText: 'all goods from China',
    rate: pct(10),
    legalBasis: ieepa('EO 14195'),
    direction: 'restrictive',
    plannedEffectiveAt: '2025-02-04',
  })
    .measure(fentanyl, { ...fentanylFrom, on: '2025-02-04' }, 'MeasureEnteredIntoForce', {})
    // The timeline does not date the rise to 20%; the 10 April source is the first to give it.
    .measure(fentanyl, levy145, 'MeasureRateChanged', { before: pct(10), after: pct(20), reason: 'the fentanyl duty stood at 20% by 10 April 2025' })
    .measure(fentanyl, { from: '2025-10-30-us-cn-fentanyl-tariff-halved', on: '2025-10-30' }, 'MeasureRateChanged', {
      before: pct(20),
      after: pct(10),
      reason: 'halved after the Busan meeting; overall US rate on China from 57% to 47%',
    })
    .measure(fentanyl, struckDown, 'MeasureInvalidatedByCourt', ruling)

  const baseline = 'us-all-ieepa-reciprocal-2025'
  const baselineFrom = { from: '2025-04-05-us-all-baseline-reciprocal', on: '2025-04-02' }
  r.measure(baseline, baselineFrom, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Baseline reciprocal tariff',
    imposer: 'US',
    // Canada and Mexico stayed under their fentanyl orders.
    targets: { mode: 'all_except', excluded: ['CA', 'MX'] },
    products: [],
    productText: 'imports from all countries (baseline reciprocal tariff; higher country rates to follow)',
    rate: pct(10),
    legalBasis: ieepa('EO 14257'),
    direction: 'restrictive',
    plannedEffectiveAt: '2025-04-05',
  })
    .measure(baseline, { ...baselineFrom, on: '2025-04-05' }, 'MeasureEnteredIntoForce', {})
    // From 10 April China's reciprocal rate is its own measure below (Hong Kong and Macau with it from Geneva), so the baseline no longer counts them twice.
    .measure(baseline, levy145, 'MeasureScopeChanged', { removedTargets: ['CN'] })

  const reciprocal = 'us-cn-ieepa-reciprocal-2025'
  const geneva = { from: '2025-05-12-us-cn-hk-mo-geneva-suspension', on: '2025-05-12', effective: '2025-05-14' }
  r.measure(baseline, geneva, 'MeasureScopeChanged', { removedTargets: ['HK', 'MO'] })
  r.measure(reciprocal, levy145, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Reciprocal tariff on Chinese goods',
    imposer: 'US',
    targets: listed('CN'),
    products: [],
    productText: 'all goods from China (125% reciprocal, on top of the 20% fentanyl duty: 145% in all)',
    rate: pct(125),
    legalBasis: ieepa('EO 14257'),
    direction: 'restrictive',
    plannedEffectiveAt: '2025-04-10',
  })
    .measure(reciprocal, levy145, 'MeasureEnteredIntoForce', {})
    .measure(reciprocal, geneva, 'MeasureScopeChanged', { addedTargets: ['HK', 'MO'], productText: 'goods from China, Hong Kong and Macau' })
    .measure(reciprocal, geneva, 'MeasureRateChanged', {
      before: pct(125),
      after: pct(10),
      reason: 'Geneva truce: April 8–9 increases removed and 24 of the remaining 34 points suspended for 90 days; 10% kept',
    })
    .measure(reciprocal, geneva, 'MeasureLinked', { relation: 'implements_commitment', target: { aggregateType: 'agreement', id: talks } })
    .measure(reciprocal, struckDown, 'MeasureInvalidatedByCourt', ruling)
  r.measure(baseline, struckDown, 'MeasureInvalidatedByCourt', ruling)

  r.agreement(talks, geneva, 'NegotiationsLaunched', { kind: 'negotiation', title: 'US–China economic and trade talks (2025)', parties: ['US', 'CN'] })
    .agreement(talks, geneva, 'PreliminaryArrangementAnnounced', {
      summary: 'Geneva joint statement: each side cuts its additional duty to 10% for 90 days and removes the April increases',
      kind: 'arrangement',
      title: 'Geneva joint statement',
    })
    .agreement(talks, geneva, 'CommitmentRecorded', {
      commitmentId: 'us-geneva-cut',
      party: 'US',
      type: 'suspension',
      description: '24 points of the reciprocal duty on China suspended for 90 days; 10% kept',
      measureIds: [reciprocal],
    })
    .agreement(talks, { from: '2025-05-12-cn-us-geneva-suspension', on: '2025-05-12' }, 'CommitmentRecorded', {
      commitmentId: 'cn-geneva-cut',
      party: 'CN',
      type: 'suspension',
      description: '24 points of the counter-tariff on US goods suspended for 90 days; 10% kept; non-tariff countermeasures since 2 April lifted',
      measureIds: ['cn-us-counter-tariff-2025'],
    })
    .agreement(talks, { from: '2025-10-30-us-cn-fentanyl-tariff-halved', on: '2025-10-30' }, 'CommitmentRecorded', {
      commitmentId: 'us-busan-fentanyl-cut',
      party: 'US',
      type: 'tariff_cut',
      description: 'fentanyl-linked duty halved from 20% to 10% after the Busan meeting',
      measureIds: [fentanyl],
    })
}

function encodeCountermeasures(r: Recorder): void {
  const answer = { from: '2025-02-04-cn-us-coal-lng', on: '2025-02-04' }
  const answer2 = { from: '2025-02-04-cn-us-crude-machinery-vehicles', on: '2025-02-04' }
  r.measure('cn-us-coal-lng-2025', answer, 'MeasureAnnounced', {
    announcementId: 'cn-2025-02-04-countermeasures',
    kind: 'tariff',
    title: 'Chinese tariff on US coal and LNG',
    imposer: 'CN',
    targets: listed('US'),
    products: hs('270111', '270112', '270119', '270120', '270210', '270220', '271111'),
    tariffLines: ['27011100', '27011210', '27011290', '27011900', '27012000', '27021000', '27022000', '27111100'],
    productText: 'coal and liquefied natural gas (8 tariff lines)',
    rate: pct(15),
    legalBasis: tariffCommission,
    direction: 'restrictive',
    plannedEffectiveAt: '2025-02-10',
  }).measure('cn-us-crude-machinery-vehicles-2025', answer2, 'MeasureAnnounced', {
    announcementId: 'cn-2025-02-04-countermeasures',
    kind: 'tariff',
    title: 'Chinese tariff on US crude oil, farm machinery and large cars',
    imposer: 'CN',
    targets: listed('US'),
    products: hs('2709', '8432', '8703', '8704'),
    productText: 'US crude oil, farm machinery, big-engine cars and pickups (72 tariff lines)',
    rate: pct(10),
    legalBasis: tariffCommission,
    direction: 'restrictive',
    plannedEffectiveAt: '2025-02-10',
  })
  for (const [id, from] of [
    ['cn-us-coal-lng-2025', answer],
    ['cn-us-crude-machinery-vehicles-2025', answer2],
  ] as const) {
    r.measure(id, from, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: 'us-cn-ieepa-fentanyl' } }).measure(
      id,
      { ...from, on: '2025-02-10' },
      'MeasureEnteredIntoForce',
      {},
    )
  }

  // First shown when it went from 84% to 125%: announced and in force at 84% from that source, then raised.
  const counter = 'cn-us-counter-tariff-2025'
  const raised = { from: '2025-04-11-cn-us-counter-tariff-125', on: '2025-04-11' }
  r.measure(counter, raised, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Chinese counter-tariff on all US goods',
    imposer: 'CN',
    targets: listed('US'),
    products: [],
    productText: 'all goods from the United States',
    rate: pct(84),
    legalBasis: tariffCommission,
    direction: 'restrictive',
  })
    .measure(counter, raised, 'MeasureEnteredIntoForce', {})
    .measure(counter, raised, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: 'us-cn-ieepa-reciprocal-2025' } })
    .measure(counter, { ...raised, effective: '2025-04-12' }, 'MeasureRateChanged', {
      before: pct(84),
      after: pct(125),
      reason: 'Beijing said it would not go higher',
    })
    .measure(counter, { from: '2025-05-12-cn-us-geneva-suspension', on: '2025-05-12' }, 'MeasureRateChanged', {
      before: pct(125),
      after: pct(10),
      reason: 'Geneva truce: later increases removed and 24 of the remaining 34 points suspended for 90 days; 10% kept',
    })

  const farm = 'cn-us-farm-goods-2025'
  const lifted = { from: '2025-11-05-cn-us-farm-tariffs-lifted', on: '2025-11-05' }
  r.measure(farm, lifted, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Chinese extra duties on US farm goods',
    imposer: 'CN',
    targets: listed('US'),
    products: [],
    productText: 'some US farm goods (extra duties of up to 15%)',
    rate: pct(15),
    legalBasis: tariffCommission,
    direction: 'restrictive',
  })
    .measure(farm, lifted, 'MeasureEnteredIntoForce', {})
    .measure(farm, { ...lifted, effective: '2025-11-10' }, 'MeasureRevoked', {
      reason: 'repealed',
      note: 'the 10% levy stays; soybeans still face 13% in total',
    })
}
