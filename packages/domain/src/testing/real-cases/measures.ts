import type { MeasureEvent, MeasureEventData } from '../../measure/events.js'
import type { LiveMeasureState } from '../../measure/state.js'
import { measureEvent as e } from '../measure-fixtures.js'

/** A real measure from shared/data/trade-timeline.json, encoded as the events ingest would submit. */
export interface RealMeasureCase {
  measureId: string
  /** The timeline entries the events encode. */
  timelineIds: string[]
  events: MeasureEvent[]
  expected: Partial<LiveMeasureState>
}

const pct = (percent: number, form?: 'duty' | 'deposit') => ({ type: 'ad_valorem' as const, percent, ...(form ? { form } : {}) })
const hs = (...codes: string[]) => codes.map((code) => ({ code, nomenclature: 'HS2022' as const }))
const listed = (...countries: string[]) => ({ mode: 'listed' as const, countries })
const announce = (data: MeasureEventData<'MeasureAnnounced'>) => e('MeasureAnnounced', data)
const inForce = e('MeasureEnteredIntoForce', {})

const caEvTariffItems = ['87022010', '87022020', '87023010', '87023020', '87024010', '87024020', '87029010', '87029020', '87034010', '87034090']
const ieepa = { jurisdiction: 'US', instrument: 'Executive Order', authority: 'IEEPA' }

export const realMeasureCases: RealMeasureCase[] = [
  {
    measureId: 'ca-cn-ev-surtax',
    timelineIds: [
      '2024-08-26-ca-cn-ev-surtax-announced',
      '2024-10-01-ca-cn-ev-surtax-in-force',
      '2026-01-16-ca-cn-ev-quota',
      '2026-02-24-ca-cn-ev-surtax-repealed',
    ],
    events: [
      announce({
        announcementId: 'ca-2024-08-26-china-surtaxes',
        kind: 'surtax',
        title: 'Surtax on Chinese electric vehicles',
        imposer: 'CA',
        targets: listed('CN'),
        products: hs('8702', '8703', '8704'),
        productText: 'Chinese-made electric and certain hybrid passenger cars, trucks, buses and delivery vans',
        rate: pct(100),
        legalBasis: { jurisdiction: 'CA', instrument: 'China Surtax Order (2024)', authority: 'Customs Tariff s.53' },
        direction: 'restrictive',
        plannedEffectiveAt: '2024-10-01',
      }),
      e('MeasureScopeChanged', { addedTariffLines: caEvTariffItems }),
      inForce,
      e('TariffRateQuotaSet', {
        quotaId: 'ev-quota-2026',
        quantity: 49_000,
        unit: 'NAR',
        period: 'calendar_year',
        inQuotaRate: pct(6.1),
        outQuotaRate: null,
        origins: ['CN'],
      }),
      e('MeasureLinked', { relation: 'implements_commitment', target: { aggregateType: 'agreement', id: 'ca-cn-2026-arrangement' } }),
      e('MeasureRevoked', { reason: 'deal', note: 'surtax ended from 2026-03-01 under the Canada–China arrangement' }),
    ],
    expected: { status: 'revoked', rate: pct(100), tariffLines: caEvTariffItems, ending: { reason: 'deal', replacedBy: null } },
  },
  {
    measureId: 'us-ca-ieepa-2025',
    timelineIds: [
      '2025-02-01-us-ca-ieepa-fentanyl-order',
      '2025-02-03-us-ca-mx-30-day-pause',
      '2025-03-04-us-ca-mx-ieepa-tariffs',
      '2025-03-06-us-ca-mx-usmca-exemption',
      '2025-08-01-us-ca-fentanyl-35',
      '2026-02-20-us-ca-mx-cn-ieepa-invalidated',
    ],
    events: [
      announce({
        announcementId: 'us-2025-02-01-ieepa-orders',
        kind: 'tariff',
        title: 'IEEPA fentanyl tariff on Canadian goods',
        imposer: 'US',
        targets: listed('CA'),
        products: [],
        productText: 'products of Canada (energy and energy resources at 10%)',
        rate: pct(25),
        legalBasis: { ...ieepa, citation: 'EO 14193' },
        direction: 'restrictive',
        plannedEffectiveAt: '2025-02-04',
      }),
      e('ExemptionGranted', { exemptionId: 'energy', products: hs('27'), rateWithin: pct(10), description: 'energy and energy resources' }),
      e('MeasurePostponed', { newPlannedEffectiveAt: '2025-03-04', reason: '30-day pause' }),
      inForce,
      e('ExemptionGranted', { exemptionId: 'usmca-qualifying', originRule: 'USMCA-qualifying' }),
      e('ExemptionGranted', { exemptionId: 'potash', products: hs('3104'), rateWithin: pct(10) }),
      e('MeasureRateChanged', { before: pct(25), after: pct(35), reason: 'non-USMCA Canadian goods' }),
      e('MeasureInvalidatedByCourt', { court: 'Supreme Court of the United States', refundStatus: 'unknown' }),
    ],
    expected: { status: 'invalidated_by_court', rate: pct(35), plannedEffectiveAt: '2025-03-04' },
  },
  {
    measureId: 'us-mx-ieepa-2025',
    timelineIds: [
      '2025-02-03-us-ca-mx-30-day-pause',
      '2025-03-04-us-ca-mx-ieepa-tariffs',
      '2025-03-06-us-ca-mx-usmca-exemption',
      '2026-02-20-us-ca-mx-cn-ieepa-invalidated',
    ],
    events: [
      announce({
        announcementId: 'us-2025-02-01-ieepa-orders',
        kind: 'tariff',
        title: 'IEEPA fentanyl tariff on Mexican goods',
        imposer: 'US',
        targets: listed('MX'),
        products: [],
        productText: 'products of Mexico',
        rate: pct(25),
        legalBasis: { ...ieepa, citation: 'EO 14194' },
        direction: 'restrictive',
        plannedEffectiveAt: '2025-02-04',
      }),
      e('MeasurePostponed', { newPlannedEffectiveAt: '2025-03-04', reason: '30-day pause' }),
      inForce,
      e('ExemptionGranted', { exemptionId: 'usmca-qualifying', originRule: 'USMCA-qualifying' }),
      e('MeasureInvalidatedByCourt', { court: 'Supreme Court of the United States' }),
    ],
    expected: { status: 'invalidated_by_court', targets: listed('MX') },
  },
  {
    measureId: 'us-all-s122-2026',
    timelineIds: ['2026-02-20-us-all-section-122-surcharge'],
    events: [
      announce({
        kind: 'surtax',
        title: 'Section 122 import surcharge',
        imposer: 'US',
        targets: { mode: 'all' },
        products: [],
        productText: 'imports from all countries, for 150 days (USMCA goods spared)',
        rate: pct(10),
        legalBasis: { jurisdiction: 'US', instrument: 'Proclamation', authority: 's122' },
        direction: 'restrictive',
        plannedEffectiveAt: '2026-02-24',
      }),
      e('MeasureLinked', { relation: 'replaces', target: { aggregateType: 'measure', id: 'us-ca-ieepa-2025' } }),
      e('ExemptionGranted', { exemptionId: 'usmca-qualifying', originRule: 'USMCA-qualifying' }),
      inForce,
    ],
    expected: { status: 'in_force', targets: { mode: 'all' }, links: [{ relation: 'replaces', otherMeasureId: 'us-ca-ieepa-2025', agreementId: null }] },
  },
  {
    measureId: 'cn-ca-canola-ad',
    timelineIds: ['2025-08-12-cn-ca-canola-provisional-ad', '2026-03-01-cn-ca-canola-final-ad'],
    events: [
      announce({
        kind: 'anti_dumping',
        title: 'Anti-dumping duty on Canadian canola seed',
        imposer: 'CN',
        targets: listed('CA'),
        products: hs('1205'),
        productText: 'rapeseed / canola seed',
        rate: pct(75.8, 'deposit'),
        legalBasis: { jurisdiction: 'CN', instrument: 'MOFCOM preliminary ruling', authority: 'anti-dumping' },
        direction: 'restrictive',
        plannedEffectiveAt: '2025-08-14',
      }),
      inForce,
      e('MeasureRateChanged', { before: pct(75.8, 'deposit'), after: pct(5.9, 'duty'), reason: 'final determination, five years' }),
    ],
    expected: { status: 'in_force', rate: pct(5.9, 'duty') },
  },
  {
    measureId: 'cn-ca-canola-oil-meal-peas',
    timelineIds: ['2025-03-08-cn-ca-canola-oil-meal-peas', '2026-02-27-cn-ca-meal-peas-suspended'],
    events: [
      announce({
        announcementId: 'cn-2025-03-08-anti-discrimination',
        kind: 'tariff',
        title: 'Chinese tariff on Canadian canola oil, meal and peas',
        imposer: 'CN',
        targets: listed('CA'),
        products: hs('1514', '230641', '071310'),
        productText: 'rapeseed (canola) oil, rapeseed meal and peas',
        rate: pct(100),
        legalBasis: { jurisdiction: 'CN', instrument: 'State Council Tariff Commission notice', authority: 'anti-discrimination investigation' },
        direction: 'restrictive',
        plannedEffectiveAt: '2025-03-20',
      }),
      e('MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: 'ca-cn-ev-surtax' } }),
      inForce,
      // Only meal and peas were relieved; canola oil stays at 100%, so this is an exemption, not a suspension.
      e('ExemptionGranted', { exemptionId: 'meal-peas-2026', products: hs('230641', '071310'), rateWithin: pct(0), until: '2027-01-01' }),
    ],
    expected: { status: 'in_force', rate: pct(100) },
  },
  {
    measureId: 'cn-ca-lobster-crab',
    timelineIds: ['2025-03-08-cn-ca-pork-seafood', '2026-02-27-cn-ca-lobster-crab-suspended'],
    events: [
      announce({
        announcementId: 'cn-2025-03-08-anti-discrimination',
        kind: 'tariff',
        title: 'Chinese tariff on Canadian lobster and crab',
        imposer: 'CN',
        targets: listed('CA'),
        products: hs('030612', '030632', '030614', '030633'),
        productText: 'lobsters and crabs',
        rate: pct(25),
        legalBasis: { jurisdiction: 'CN', instrument: 'State Council Tariff Commission notice' },
        direction: 'restrictive',
        plannedEffectiveAt: '2025-03-20',
      }),
      inForce,
      e('MeasureSuspended', { until: '2027-01-01', reason: 'suspended through 31 December 2026 under the Canada–China arrangement' }),
    ],
    expected: { status: 'suspended', suspension: { until: '2027-01-01', reason: 'suspended through 31 December 2026 under the Canada–China arrangement' } },
  },
  {
    measureId: 'us-ca-mx-steel-232-2018',
    timelineIds: ['2018-06-01-us-ca-mx-steel-232', '2019-05-17-us-ca-mx-232-removal'],
    events: [
      announce({
        kind: 'tariff',
        title: 'Section 232 duty on Canadian and Mexican steel',
        imposer: 'US',
        targets: listed('CA', 'MX'),
        products: [
          { code: '72', nomenclature: 'HS2017' },
          { code: '73', nomenclature: 'HS2017' },
        ],
        productText: 'steel',
        rate: pct(25),
        legalBasis: { jurisdiction: 'US', instrument: 'Proclamation 9705', authority: 's232' },
        direction: 'restrictive',
      }),
      inForce,
      e('MeasureRevoked', { reason: 'deal', note: 'lifted under the May 2019 joint statement, with a surge mechanism' }),
    ],
    expected: { status: 'revoked', targets: listed('CA', 'MX') },
  },
  {
    measureId: 'ca-us-steel-surtax-2018',
    timelineIds: ['2018-07-01-ca-us-steel-surtax', '2019-05-19-ca-us-retaliation-removal'],
    events: [
      announce({
        kind: 'surtax',
        title: 'Canadian surtax on US steel',
        imposer: 'CA',
        targets: listed('US'),
        products: [{ code: '72', nomenclature: 'HS2017' }],
        productText: 'certain US steel products (part of C$16.6 billion countermeasures)',
        rate: pct(25),
        legalBasis: { jurisdiction: 'CA', instrument: 'United States Surtax Order (Steel and Aluminum)', authority: 'Customs Tariff s.53' },
        direction: 'restrictive',
        plannedEffectiveAt: '2018-07-01',
      }),
      e('MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: 'us-ca-mx-steel-232-2018' } }),
      inForce,
      e('MeasureRevoked', { reason: 'deal' }),
    ],
    expected: { status: 'revoked', links: [{ relation: 'retaliation_for', otherMeasureId: 'us-ca-mx-steel-232-2018', agreementId: null }] },
  },
  {
    measureId: 'us-all-steel-aluminum-232-2025',
    timelineIds: ['2025-03-12-us-all-steel-aluminum-232', '2025-06-04-us-all-steel-aluminum-50'],
    events: [
      announce({
        kind: 'tariff',
        title: 'Section 232 duty on steel and aluminum from everywhere',
        imposer: 'US',
        targets: { mode: 'all' },
        products: hs('72', '73', '76'),
        productText: 'steel and aluminum products, including derivatives',
        rate: pct(25),
        legalBasis: { jurisdiction: 'US', instrument: 'Proclamation', authority: 's232' },
        direction: 'restrictive',
      }),
      inForce,
      e('MeasureRateChanged', { before: pct(25), after: pct(50) }),
    ],
    expected: { status: 'in_force', rate: pct(50), targets: { mode: 'all' } },
  },
  {
    measureId: 'eu-cn-bev-cvd',
    timelineIds: ['2024-07-05-eu-cn-bev-provisional-cvd', '2024-10-30-eu-cn-bev-definitive-cvd'],
    events: [
      announce({
        kind: 'countervailing',
        title: 'EU countervailing duty on Chinese battery electric vehicles',
        imposer: 'EU',
        targets: listed('CN'),
        products: hs('870380'),
        tariffLines: ['87038010'],
        productText: 'new battery electric vehicles for passenger transport (highest company rate shown)',
        rate: pct(37.6, 'deposit'),
        legalBasis: { jurisdiction: 'EU', instrument: 'Implementing Regulation (EU) 2024/1866', authority: 'anti-subsidy' },
        direction: 'restrictive',
      }),
      inForce,
      e('MeasureRateChanged', { before: pct(37.6, 'deposit'), after: pct(35.3, 'duty'), reason: 'definitive duties' }),
    ],
    expected: { status: 'in_force', imposer: 'EU', rate: pct(35.3, 'duty'), tariffLines: ['87038010'] },
  },
  {
    measureId: 'cn-ca-gb-visa-free-2026',
    timelineIds: ['2026-02-15-cn-ca-gb-visa-free'],
    events: [
      announce({
        kind: 'travel_visa',
        title: 'Visa-free entry to China for Canadians and Britons',
        imposer: 'CN',
        targets: listed('CA', 'GB'),
        products: [],
        productText: 'visa-free entry up to 30 days for ordinary passport holders',
        rate: null,
        legalBasis: { jurisdiction: 'CN', instrument: 'National Immigration Administration announcement' },
        direction: 'liberalising',
        plannedEffectiveAt: '2026-02-17',
      }),
      inForce,
    ],
    expected: { status: 'in_force', kind: 'travel_visa', direction: 'liberalising', rate: null },
  },
  {
    measureId: 'us-ca-extra-10-2025',
    timelineIds: ['2025-10-25-us-ca-extra-10'],
    events: [
      e('MeasureThreatened', {
        kind: 'tariff',
        title: 'Extra 10% on Canadian imports',
        imposer: 'US',
        targets: listed('CA'),
        products: [],
        productText: 'Canadian imports (10% on top of existing rates)',
        rate: pct(10),
        direction: 'restrictive',
        condition: 'over an Ontario anti-tariff television advertisement',
        statement: 'social_post',
      }),
    ],
    expected: { status: 'threatened', legalBasis: null, condition: 'over an Ontario anti-tariff television advertisement' },
  },
]
