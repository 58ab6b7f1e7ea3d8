import { hs2017, listed, pct, type Recorder } from './recorder.js'

// 2018–2020: the US Section 232 metal duties on Canada and Mexico, Canada's counter-surtaxes, their removal in May 2019,
// and USMCA from signature to entry into force. HS chapters are HS 2017 (then in force), added from the product words.
export function encodeNorthAmerica2018(r: Recorder): void {
  const s232 = { jurisdiction: 'US', instrument: 'Section 232 proclamation', authority: 's232' }
  const metals = [
    { id: 'us-ca-mx-aluminum-232-2018', from: '2018-06-01-us-ca-mx-aluminum-232', metal: 'aluminum', products: hs2017('76'), rate: 10 },
    { id: 'us-ca-mx-steel-232-2018', from: '2018-06-01-us-ca-mx-steel-232', metal: 'steel', products: hs2017('72', '73'), rate: 25 },
  ]
  for (const { id, from, metal, products, rate } of metals) {
    r.measure(id, { from, on: '2018-06-01' }, 'MeasureAnnounced', {
      kind: 'tariff',
      title: `Section 232 duty on Canadian and Mexican ${metal}`,
      imposer: 'US',
      targets: listed('CA', 'MX'),
      products,
      productText: metal,
      rate: pct(rate),
      legalBasis: s232,
      direction: 'restrictive',
      plannedEffectiveAt: '2018-06-01',
    })
      .measure(id, { from, on: '2018-06-01' }, 'MeasureEnteredIntoForce', {})
      .measure(id, { from: '2019-05-17-us-ca-mx-232-removal', on: '2019-05-17' }, 'MeasureRevoked', {
        reason: 'deal',
        note: 'lifted under the May 2019 deal with Canada and Mexico, with a surge mechanism to bring them back',
      })
  }

  const surtaxOrder = { jurisdiction: 'CA', instrument: 'United States Surtax Order (Steel and Aluminum)', authority: 'Customs Tariff s.53' }
  const counters = [
    {
      id: 'ca-us-steel-surtax-2018',
      from: '2018-07-01-ca-us-steel-surtax',
      title: 'Canadian surtax on US steel',
      products: hs2017('72', '73'),
      productText: 'certain US steel products (part of C$16.6 billion countermeasures)',
      rate: 25,
      answers: 'us-ca-mx-steel-232-2018',
    },
    {
      id: 'ca-us-aluminum-other-surtax-2018',
      from: '2018-07-01-ca-us-aluminum-other-surtax',
      title: 'Canadian surtax on US aluminum and other goods',
      products: hs2017('76'),
      productText: 'certain US aluminum and other products (part of C$16.6 billion countermeasures)',
      rate: 10,
      answers: 'us-ca-mx-aluminum-232-2018',
    },
  ]
  for (const { id, from, title, products, productText, rate, answers } of counters) {
    r.measure(id, { from, on: '2018-07-01' }, 'MeasureAnnounced', {
      kind: 'surtax',
      title,
      imposer: 'CA',
      targets: listed('US'),
      products,
      productText,
      rate: pct(rate),
      legalBasis: surtaxOrder,
      direction: 'restrictive',
      plannedEffectiveAt: '2018-07-01',
    })
      .measure(id, { from, on: '2018-07-01' }, 'MeasureLinked', { relation: 'retaliation_for', target: { aggregateType: 'measure', id: answers } })
      .measure(id, { from, on: '2018-07-01' }, 'MeasureEnteredIntoForce', {})
      .measure(id, { from: '2019-05-19-ca-us-retaliation-removal', on: '2019-05-19' }, 'MeasureRevoked', {
        reason: 'deal',
        note: 'importers stopped owing the 2018 counter-surtaxes after the May 2019 deal on the US metal duties',
      })
  }

  const signed = { from: '2018-11-30-us-mx-ca-usmca-signed', on: '2018-11-30' }
  const inForce = { from: '2020-07-01-us-mx-ca-usmca-in-force', on: '2020-07-01' }
  r.agreement('usmca', signed, 'NegotiationsLaunched', {
    kind: 'fta',
    title: 'United States–Mexico–Canada Agreement',
    parties: ['US', 'MX', 'CA'],
    objective: 'renegotiate NAFTA',
  }).agreement('usmca', signed, 'AgreementSigned', {})
  for (const party of ['MX', 'US', 'CA']) r.agreement('usmca', inForce, 'AgreementRatified', { party })
  r.agreement('usmca', inForce, 'AgreementEnteredIntoForce', { note: 'after all three countries completed ratification' })
}
