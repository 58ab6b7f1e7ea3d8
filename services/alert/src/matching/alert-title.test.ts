import { describe, expect, it } from 'vitest'
import { demoChange, demoChanges } from '../testing/demo-changes.js'
import { alertSummary } from './alert-content.js'
import { alertTitle } from './alert-title.js'

const changes = demoChanges()
const title = (aggregateId: string, type: string, nth = 0) => alertTitle(demoChange(changes, aggregateId, type, nth))

describe('alert titles on the demo data', () => {
  it('a quota under a surtax reads as the rate cut it is, from the rate in force just before', () => {
    expect(title('ca-cn-ev-surtax', 'TariffRateQuotaSet')).toBe(
      'Canada lowers its surtax on Chinese electric vehicles from 100% to 6.1% for 49,000 vehicles a year',
    )
  })

  it('the end of the EV surtax says what ended, why and when', () => {
    expect(title('ca-cn-ev-surtax', 'MeasureRevoked')).toBe('Canada ends its surtax on Chinese electric vehicles (100%) under a deal, effective 2026-03-01')
  })

  it('rate changes say raises or lowers, from the state before the event (not a later one)', () => {
    expect(title('us-cn-ieepa-fentanyl', 'MeasureRateChanged', 0)).toBe('The United States raises its IEEPA fentanyl tariff on Chinese goods from 10% to 20%')
    expect(title('us-cn-ieepa-fentanyl', 'MeasureRateChanged', 1)).toBe('The United States lowers its IEEPA fentanyl tariff on Chinese goods from 20% to 10%')
    expect(title('cn-ca-canola-ad', 'MeasureRateChanged')).toBe(
      'China lowers its anti-dumping duty on Canadian canola seed from 75.8% to 5.9%, effective 2026-03-01',
    )
  })

  it('short country names, and no "Canada\'s Canadian …"', () => {
    expect(title('ca-us-steel-surtax-2018', 'MeasureAnnounced')).toBe('Canada announces surtax on US steel at 25%, from 2018-07-01')
    expect(title('eu-cn-bev-cvd', 'MeasureEnteredIntoForce')).toBe(
      "The European Union's countervailing duty on Chinese battery electric vehicles (37.6%) in force from 2024-07-05",
    )
    expect(title('usmca', 'AgreementRatified', 1)).toBe('The United States ratifies United States–Mexico–Canada Agreement')
  })

  it('threats, exemptions, court rulings, scope changes and links', () => {
    expect(title('us-mx-30-threat-2025', 'MeasureThreatened')).toBe('The United States threatens 30% tariff on Mexican goods')
    expect(title('us-all-s122-surcharge-2026', 'ExemptionGranted')).toBe(
      'The United States exempts USMCA-qualifying goods from its Section 122 import surcharge',
    )
    expect(title('us-ca-ieepa-fentanyl', 'ExemptionGranted')).toBe(
      'The United States exempts HS 27 from its IEEPA fentanyl tariff on Canadian goods (10% instead of 25%)',
    )
    expect(title('us-ca-ieepa-fentanyl', 'MeasureInvalidatedByCourt')).toBe(
      "Supreme Court of the United States strikes down the United States' IEEPA fentanyl tariff on Canadian goods",
    )
    expect(title('us-cn-ieepa-reciprocal-2025', 'MeasureScopeChanged')).toBe(
      'The United States changes the scope of its reciprocal tariff on Chinese goods (now also on Hong Kong and Macao), effective 2025-05-14',
    )
    expect(title('ca-cn-ev-surtax', 'MeasureLinked')).toBe("Canada's surtax on Chinese electric vehicles implements a commitment under ca-cn-2026-arrangement")
  })

  it('agreements: talks, arrangements and commitments', () => {
    expect(title('us-ca-trade-talks-2025', 'TalksSuspended')).toBe('The United States suspends US–Canada trade and security talks')
    expect(title('ca-cn-2026-arrangement', 'PreliminaryArrangementAnnounced')).toBe(
      'Canada and China announce a preliminary arrangement: Canada–China preliminary arrangement on EVs and canola',
    )
    expect(title('usmca', 'AgreementEnteredIntoForce')).toBe('United States–Mexico–Canada Agreement enters into force on 2020-07-01')
  })

  it('every demo event gets one sentence: capitalised, no "undefined", no raw event type', () => {
    for (const change of changes) {
      const t = alertTitle(change)
      expect(t, change.event.type).toMatch(/^[A-Z]/)
      expect(t).not.toMatch(/undefined|null|\[object/)
      expect(t).not.toContain(`(${change.event.type})`)
    }
  })

  it('the summary gives the status, rate and duty change and the reason', () => {
    expect(alertSummary(demoChange(changes, 'us-cn-ieepa-reciprocal-2025', 'MeasureRateChanged'))).toBe(
      'rate 125% → 10%; duty -115 pp. Geneva truce: April 8–9 increases removed and 24 of the remaining 34 points suspended for 90 days; 10% kept.',
    )
    expect(alertSummary(demoChange(changes, 'ca-cn-ev-surtax', 'MeasureRevoked'))).toBe('status in_force → revoked; duty -100 pp. Deal.')
  })
})
