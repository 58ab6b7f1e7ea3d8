import { hs, listed, pct, type Recorder } from './recorder.js'

// The EU's duties on Chinese electric vehicles and China's brandy answer; Mexico's 2026 tariffs on Chinese goods.
export function encodeEuMexicoChina(r: Recorder): void {
  const bev = 'eu-cn-bev-cvd'
  const provisional = { from: '2024-07-05-eu-cn-bev-provisional-cvd', on: '2024-07-05' }
  const definitive = { from: '2024-10-30-eu-cn-bev-definitive-cvd', on: '2024-10-30' }
  r.measure(bev, provisional, 'MeasureAnnounced', {
    kind: 'countervailing',
    title: 'EU countervailing duty on Chinese battery electric vehicles',
    imposer: 'EU',
    targets: listed('CN'),
    products: hs('870380'),
    productText:
      'battery electric vehicles (provisional countervailing duty: BYD 17.4%, Geely 19.9%, SAIC 37.6%, other cooperating 20.8%, non-cooperating 37.6%)',
    rate: pct(37.6, 'deposit'),
    legalBasis: { jurisdiction: 'EU', instrument: 'Implementing Regulation (EU) 2024/1866', authority: 'anti-subsidy' },
    direction: 'restrictive',
    plannedEffectiveAt: '2024-07-05',
  })
    .measure(bev, provisional, 'MeasureEnteredIntoForce', {})
    .measure(bev, definitive, 'MeasureScopeChanged', {
      addedTariffLines: ['87038010'],
      productText:
        'new battery electric vehicles for passenger transport (definitive countervailing duty, five years: BYD 17.0%, Geely 18.8%, SAIC 35.3%, Tesla 7.8%, other cooperating 20.7%, non-cooperating 35.3%)',
    })
    .measure(bev, definitive, 'MeasureRateChanged', { before: pct(37.6, 'deposit'), after: pct(35.3, 'duty'), reason: 'definitive duties for five years' })

  const brandy = 'cn-eu-brandy-ad'
  const brandyFrom = { from: '2024-10-11-cn-eu-brandy-provisional-ad', on: '2024-10-08' }
  r.measure(brandy, brandyFrom, 'MeasureAnnounced', {
    kind: 'anti_dumping',
    title: 'Chinese provisional anti-dumping duty on EU brandy',
    imposer: 'CN',
    targets: listed('EU'),
    products: hs('220820'),
    productText: 'brandy (provisional anti-dumping duties)',
    rate: null,
    legalBasis: { jurisdiction: 'CN', instrument: 'MOFCOM preliminary ruling', authority: 'anti-dumping' },
    direction: 'restrictive',
    plannedEffectiveAt: '2024-10-11',
  })
    .measure(brandy, brandyFrom, 'MeasureLinked', { relation: 'part_of_thread', target: { aggregateType: 'measure', id: bev } })
    .measure(brandy, { ...brandyFrom, on: '2024-10-11' }, 'MeasureEnteredIntoForce', {})

  const mexico = 'mx-cn-tariffs-2026'
  const mexicoFrom = { from: '2026-01-01-mx-cn-asia-tariffs', on: '2026-01-01' }
  r.measure(mexico, mexicoFrom, 'MeasureAnnounced', {
    kind: 'tariff',
    title: 'Mexican tariffs on Chinese goods',
    imposer: 'MX',
    targets: listed('CN'),
    products: [],
    productText: 'thousands of product lines from China and other partners without a trade deal (up to 35%)',
    rate: pct(35),
    legalBasis: { jurisdiction: 'MX', instrument: 'tariff decree' },
    direction: 'restrictive',
    plannedEffectiveAt: '2026-01-01',
  }).measure(mexico, mexicoFrom, 'MeasureEnteredIntoForce', {})
}
