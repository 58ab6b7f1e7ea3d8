import { hs, listed, pct, type Recorder } from './recorder.js'

const ieepa = (citation: string) => ({ jurisdiction: 'US', instrument: 'Executive Order', authority: 'IEEPA', citation })
const usmcaGoods = (description: string) => ({ exemptionId: 'usmca-qualifying', originRule: 'USMCA-qualifying', description })

// 2025–2026 between the US, Canada and Mexico: the IEEPA fentanyl tariffs (paused, imposed, USMCA carve-out, 35% on Canada,
// struck down), Canada's counter-tariffs, the metal and auto duties, the threats, and the Section 122 surcharge.
export function encodeNorthAmerica2025(r: Recorder): void {
  const ca = 'us-ca-ieepa-fentanyl'
  const mx = 'us-mx-ieepa-fentanyl'
  const pause = { from: '2025-02-03-us-ca-mx-30-day-pause', on: '2025-02-03' }
  const imposed = { from: '2025-03-04-us-ca-mx-ieepa-tariffs', on: '2025-03-04' }
  const carveOut = { from: '2025-03-06-us-ca-mx-usmca-exemption', on: '2025-03-06' }
  const struckDown = { from: '2026-02-20-us-ca-mx-cn-ieepa-invalidated', on: '2026-02-20' }
  const ruling = { court: 'Supreme Court of the United States', refundStatus: 'unknown' as const }

  r.measure(ca, { from: '2025-02-01-us-ca-ieepa-fentanyl-order', on: '2025-02-01' }, 'MeasureAnnounced', {
    announcementId: 'us-2025-02-01-ieepa-orders',
    kind: 'tariff',
    title: 'IEEPA fentanyl tariff on Canadian goods',
    imposer: 'US',
    targets: listed('CA'),
    products: [],
    productText: 'products of Canada (energy and energy resources at 10%)',
    rate: pct(25),
    legalBasis: ieepa('EO 14193'),
    direction: 'restrictive',
    plannedEffectiveAt: '2025-02-04',
  })
    .measure(ca, { from: '2025-02-01-us-ca-ieepa-fentanyl-order', on: '2025-02-01' }, 'ExemptionGranted', {
      exemptionId: 'energy',
      products: hs('27'),
      rateWithin: pct(10),
      description: 'energy and energy resources',
    })
    .measure(ca, pause, 'MeasurePostponed', { newPlannedEffectiveAt: '2025-03-04', reason: '30-day pause' })
    // The timeline first shows the Mexican order in the pause; its announcement is recorded from that source.
    .measure(mx, pause, 'MeasureAnnounced', {
      announcementId: 'us-2025-02-01-ieepa-orders',
      kind: 'tariff',
      title: 'IEEPA fentanyl tariff on Mexican goods',
      imposer: 'US',
      targets: listed('MX'),
      products: [],
      productText: 'products of Mexico',
      rate: pct(25),
      legalBasis: ieepa('EO 14194'),
      direction: 'restrictive',
      plannedEffectiveAt: '2025-02-04',
    })
    .measure(mx, pause, 'MeasurePostponed', { newPlannedEffectiveAt: '2025-03-04', reason: '30-day pause' })
  for (const id of [ca, mx]) {
    r.measure(id, imposed, 'MeasureEnteredIntoForce', {}).measure(
      id,
      carveOut,
      'ExemptionGranted',
      usmcaGoods('goods qualifying under USMCA, including compliant autos and parts (announced until 2 April 2025)'),
    )
  }
  r.measure(ca, carveOut, 'ExemptionGranted', { exemptionId: 'potash', products: hs('3104'), rateWithin: pct(10) })
    .measure(ca, { from: '2025-08-01-us-ca-fentanyl-35', on: '2025-07-31', effective: '2025-08-01' }, 'MeasureRateChanged', {
      before: pct(25),
      after: pct(35),
      reason: 'Canadian goods outside USMCA; 40% on transshipped goods',
    })
    .measure(ca, struckDown, 'MeasureInvalidatedByCourt', ruling)
    .measure(mx, struckDown, 'MeasureInvalidatedByCourt', ruling)

  const reprieve = { from: '2025-07-31-us-mx-90-day-extension', on: '2025-07-31' }
  r.measure('us-mx-30-threat-2025', reprieve, 'MeasureThreatened', {
    kind: 'tariff',
    title: '30% tariff on Mexican goods',
    imposer: 'US',
    targets: listed('MX'),
    products: [],
    productText: 'Mexican goods (the existing 25% fentanyl, 25% car and 50% steel/aluminum/copper duties continue)',
    rate: pct(30),
    direction: 'restrictive',
    plannedEffectiveAt: '2025-08-01',
  })
    .measure('us-mx-30-threat-2025', reprieve, 'MeasureLinked', { relation: 'part_of_thread', target: { aggregateType: 'measure', id: mx } })
    .measure('us-mx-30-threat-2025', { ...reprieve, effective: '2025-08-01' }, 'MeasurePostponed', {
      newPlannedEffectiveAt: '2025-10-30',
      reason: '90-day extension of the current arrangement',
    })

  r.measure('us-ca-extra-10-2025', { from: '2025-10-25-us-ca-extra-10', on: '2025-10-25' }, 'MeasureThreatened', {
    kind: 'tariff',
    title: 'Extra 10% on Canadian imports',
    imposer: 'US',
    targets: listed('CA'),
    products: [],
    productText: 'Canadian imports (10% on top of existing rates; scope and start date not given)',
    rate: pct(10),
    direction: 'restrictive',
    condition: 'over an Ontario anti-tariff television advertisement',
    statement: 'social_post',
  })

  encodeTalks(r)
  encodeCanadianCounterTariffs(r)
  encodeSection232(r)
  encodeSection122(r)
}

function encodeCanadianCounterTariffs(r: Recorder): void {
  const id = 'ca-us-counter-tariffs-30b-2025'
  const wave = { from: '2025-03-04-ca-us-counter-tariffs-30b', on: '2025-03-04' }
  r.measure(id, wave, 'MeasureAnnounced', {
    kind: 'surtax',
    title: 'Canadian counter-tariffs on C$30 billion of US goods',
    imposer: 'CA',
    targets: listed('US'),
    products: [],
    productText: 'C$30 billion of US goods (1,256 lines, e.g. orange juice, wine, appliances, apparel, cosmetics, pulp and paper)',
    rate: pct(25),
    legalBasis: { jurisdiction: 'CA', instrument: 'surtax order', authority: 'Customs Tariff s.53' },
    direction: 'restrictive',
    plannedEffectiveAt: '2025-03-04',
  })
    .measure(id, wave, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: 'us-ca-ieepa-fentanyl' } })
    .measure(id, wave, 'MeasureEnteredIntoForce', {})
    // Steel, aluminum and auto counter-tariffs are separate measures and stay; on this one CUSMA goods are spared.
    .measure(id, { from: '2025-08-22-ca-us-cusma-counter-tariffs-lifted', on: '2025-08-22', effective: '2025-09-01' }, 'ExemptionGranted', {
      exemptionId: 'cusma-covered',
      originRule: 'CUSMA-covered',
      description: 'US goods covered by CUSMA',
    })
}

function encodeSection232(r: Recorder): void {
  const metals = 'us-all-steel-aluminum-232-2025'
  const metalsFrom = { from: '2025-03-12-us-all-steel-aluminum-232', on: '2025-03-12' }
  r.measure(metals, metalsFrom, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Section 232 duty on steel and aluminum from everywhere',
    imposer: 'US',
    targets: { mode: 'all' },
    products: hs('72', '73', '76'),
    productText: 'steel and aluminum products, including derivatives',
    rate: pct(25),
    legalBasis: { jurisdiction: 'US', instrument: 'Proclamation', authority: 's232' },
    direction: 'restrictive',
    plannedEffectiveAt: '2025-03-12',
  })
    .measure(metals, metalsFrom, 'MeasureEnteredIntoForce', {})
    .measure(metals, { from: '2025-06-04-us-all-steel-aluminum-50', on: '2025-06-04' }, 'MeasureRateChanged', { before: pct(25), after: pct(50) })

  const counter = 'ca-us-steel-aluminum-surtax-2025'
  const counterFrom = { from: '2025-03-13-ca-us-steel-aluminum-countermeasures', on: '2025-03-12', effective: '2025-03-13' }
  r.measure(counter, counterFrom, 'MeasureAnnounced', {
    kind: 'surtax',
    title: 'Canadian surtax on US steel, aluminum and other goods',
    imposer: 'CA',
    targets: listed('US'),
    products: hs('72', '73', '76'),
    productText: 'US steel, aluminum and other goods listed in Schedules 1–3 of the United States Surtax Order (Steel and Aluminum 2025)',
    rate: pct(25),
    legalBasis: { jurisdiction: 'CA', instrument: 'SOR/2025-95', authority: 'Customs Tariff s.53' },
    direction: 'restrictive',
    plannedEffectiveAt: '2025-03-13',
  })
    .measure(counter, counterFrom, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: metals } })
    .measure(counter, { ...counterFrom, on: '2025-03-13' }, 'MeasureEnteredIntoForce', {})

  const autos = 'us-all-autos-232-2025'
  const autosFrom = { from: '2025-04-03-us-all-autos-232', on: '2025-04-03' }
  r.measure(autos, autosFrom, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Section 232 duty on imported vehicles',
    imposer: 'US',
    targets: { mode: 'all' },
    products: hs('8703', '8704'),
    productText: 'automobiles and light trucks (for CUSMA-compliant Canadian vehicles, the non-US content)',
    rate: pct(25),
    legalBasis: { jurisdiction: 'US', instrument: 'Proclamation', authority: 's232' },
    direction: 'restrictive',
    plannedEffectiveAt: '2025-04-03',
  })
    .measure(autos, autosFrom, 'MeasureEnteredIntoForce', {})
    .measure(autos, autosFrom, 'ExemptionGranted', {
      exemptionId: 'cusma-us-content',
      originRule: 'CUSMA-compliant vehicles',
      description: 'the US content of CUSMA-compliant vehicles is not charged',
    })
    .measure(autos, { from: '2025-04-03-us-all-autos-232', on: '2025-05-03' }, 'MeasureScopeChanged', {
      addedProducts: hs('8708'),
      productText: 'automobiles and light trucks, and from 3 May 2025 auto parts',
    })

  const autoCounter = 'ca-us-autos-counter-tariffs-2025'
  const autoCounterFrom = { from: '2025-04-09-ca-us-autos-counter-tariffs', on: '2025-04-09' }
  r.measure(autoCounter, autoCounterFrom, 'MeasureAnnounced', {
    kind: 'surtax',
    title: 'Canadian counter-tariff on US vehicles',
    imposer: 'CA',
    targets: listed('US'),
    products: hs('8703', '8704'),
    productText: 'US vehicles not compliant with CUSMA, and the non-Canadian, non-Mexican content of compliant ones',
    rate: pct(25),
    legalBasis: { jurisdiction: 'CA', instrument: 'surtax order', authority: 'Customs Tariff s.53' },
    direction: 'restrictive',
    plannedEffectiveAt: '2025-04-09',
  })
    .measure(autoCounter, autoCounterFrom, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: autos } })
    .measure(autoCounter, autoCounterFrom, 'MeasureEnteredIntoForce', {})
    .measure(autoCounter, autoCounterFrom, 'ExemptionGranted', {
      exemptionId: 'cusma-ca-mx-content',
      originRule: 'CUSMA-compliant vehicles',
      description: 'the Canadian and Mexican content of CUSMA-compliant vehicles is not charged',
    })
}

function encodeSection122(r: Recorder): void {
  const id = 'us-all-s122-surcharge-2026'
  const from = { from: '2026-02-20-us-all-section-122-surcharge', on: '2026-02-20' }
  r.measure(id, from, 'MeasureAnnounced', {
    kind: 'surtax',
    title: 'Section 122 import surcharge',
    imposer: 'US',
    targets: { mode: 'all' },
    products: [],
    productText: 'imports from all countries, for 150 days (a rise to 15% was flagged)',
    rate: pct(10),
    legalBasis: { jurisdiction: 'US', instrument: 'Proclamation', authority: 's122' },
    direction: 'restrictive',
    plannedEffectiveAt: '2026-02-24',
  })
  for (const replaced of [
    'us-all-ieepa-reciprocal-2025',
    'us-cn-ieepa-reciprocal-2025',
    'us-ca-ieepa-fentanyl',
    'us-mx-ieepa-fentanyl',
    'us-cn-ieepa-fentanyl',
  ]) {
    r.measure(id, from, 'MeasureLinked', { relation: 'replaces', target: { aggregateType: 'measure', id: replaced } })
  }
  r.measure(id, from, 'ExemptionGranted', usmcaGoods('USMCA-qualifying goods'))
    .measure(id, from, 'ExemptionGranted', {
      exemptionId: 'minerals-pharma-electronics',
      // The source names the groups without codes; only pharmaceuticals map to one chapter.
      products: hs('30'),
      description: 'critical minerals, pharmaceuticals and some electronics',
    })
    .measure(id, { ...from, on: '2026-02-24' }, 'MeasureEnteredIntoForce', {})
}

function encodeTalks(r: Recorder): void {
  const talks = 'us-ca-trade-talks-2025'
  const dst = { from: '2025-06-27-us-ca-talks-ended-dst', on: '2025-06-27' }
  r.agreement(talks, dst, 'NegotiationsLaunched', { kind: 'negotiation', title: 'US–Canada trade and security talks', parties: ['US', 'CA'] })
    .agreement(talks, dst, 'TalksSuspended', { by: 'US', reason: "Canada's digital services tax" })
    .agreement(talks, { from: '2025-06-29-ca-us-talks-resume', on: '2025-06-29' }, 'TalksResumed', {
      note: 'Canada dropped the digital services tax; target: a deal by 21 July 2025',
    })
    .agreement(talks, { from: '2025-10-23-us-ca-talks-ended-ad', on: '2025-10-23' }, 'TalksSuspended', {
      by: 'US',
      reason: 'Ontario anti-tariff television advertisement',
    })

  r.agreement('usmca', { from: '2025-09-17-us-mx-ca-usmca-joint-review', on: '2025-09-17' }, 'ReviewScheduled', {
    reviewId: '2026-joint-review',
    reviewDate: '2026-07-01',
    commentDeadline: '2025-11-03',
  })
}
