import type { EventEnvelope, MeasureQuota } from '@tradewatch/domain'
import { agreementOf, type Change, effectiveDay, type LiveAgreement, type LiveMeasure, measureOf, rateText } from './change.js'
import { capitalise, listOfNames, possessive, shortName, withoutDemonym } from './short-names.js'

/** "Surtax on Chinese electric vehicles" → "surtax on Chinese electric vehicles"; "IEEPA tariff…" and "Section 232…" keep theirs. */
const inSentence = (title: string) => (/^[A-Z][a-z]/.test(title) && !/^Section\b/.test(title) ? title.charAt(0).toLowerCase() + title.slice(1) : title)

const effective = (event: EventEnvelope) => (event.effectiveAt ? `, effective ${effectiveDay(event)}` : '')

const units: Readonly<Record<string, string>> = { NAR: 'vehicles', TNE: 'tonnes', KGM: 'kg', LTR: 'litres', NMB: 'items' }
const periods: Readonly<Record<string, string>> = {
  calendar_year: 'a year',
  quota_year: 'a quota year',
  half_year: 'every half year',
  quarter: 'a quarter',
  month: 'a month',
  whole_term: 'in all',
}
const quotaText = (q: Pick<MeasureQuota, 'quantity' | 'unit' | 'period'>) =>
  `${q.quantity.toLocaleString('en-US')} ${units[q.unit] ?? q.unit} ${periods[q.period] ?? q.period}`

const relationWords: Readonly<Record<string, string>> = {
  retaliation_for: 'is retaliation for',
  counter_to: 'counters',
  replaces: 'replaces',
  implements_commitment: 'implements a commitment under',
  part_of_thread: 'belongs with',
}

// Verb and trailing phrase per revocation reason: "Canada ends its surtax … under a deal".
const revocationWords: Readonly<Record<string, readonly [string, string]>> = {
  repealed: ['repeals', ''],
  sunset: ['ends', ' at its sunset'],
  replaced: ['replaces', ''],
  court_invalidated: ['ends', ' after a court ruling'],
  deal: ['ends', ' under a deal'],
  withdrawn: ['withdraws', ''],
}

const exempted = (d: { originRule?: string | undefined; origins?: readonly string[] | undefined; products?: readonly { code: string }[] | undefined }) => {
  if (d.originRule) return /goods|vehicles|products|parts/i.test(d.originRule) ? d.originRule : `${d.originRule} goods`
  if (d.origins?.length) return `goods from ${listOfNames(d.origins)}`
  if (d.products?.length) return `HS ${d.products.map((p) => p.code).join(', ')}`
  return 'some products'
}

/**
 * One sentence saying what the event did, from the states just before and after it, e.g.
 * "Canada lowers its surtax on Chinese electric vehicles from 100% to 6.1% for 49,000 vehicles a year".
 * Deterministic (English, no clock), so a replay titles an alert the same way.
 */
export function alertTitle(change: Change): string {
  const measure = measureOf(change.after) ?? measureOf(change.before)
  if (measure) return capitalise(measureTitle(change, measure))
  const agreement = agreementOf(change.after) ?? agreementOf(change.before)
  if (agreement) return capitalise(agreementTitle(change, agreement))
  return `${change.event.type} on ${change.event.aggregateId}`
}

function measureTitle({ event, before }: Change, m: LiveMeasure): string {
  const who = shortName(m.imposer)
  const name = inSentence(withoutDemonym(m.title, m.imposer))
  const its = `its ${name}`
  const theirs = `${possessive(who)} ${name}`
  const at = m.rate ? ` at ${rateText(m.rate)}` : ''
  const old = measureOf(before)
  switch (event.type) {
    case 'MeasureThreatened':
      return `${who} threatens ${name}${m.title.includes(rateText(m.rate)) ? '' : at}`
    case 'MeasureAnnounced':
      return `${who} announces ${name}${at}${m.plannedEffectiveAt ? `, from ${m.plannedEffectiveAt}` : effective(event)}`
    case 'MeasurePostponed':
      return `${who} postpones ${its}${m.plannedEffectiveAt ? ` to ${m.plannedEffectiveAt}` : ' without a new date'}`
    case 'MeasureEnteredIntoForce':
      // Headline style ("in force from"), so plural titles ("tariffs on …") need no verb agreement.
      return `${theirs}${m.rate ? ` (${rateText(m.rate)})` : ''} in force from ${effectiveDay(event)}`
    case 'MeasureRateChanged': {
      const from = old?.rate ?? null
      const to = m.rate
      const verb = from?.type === 'ad_valorem' && to?.type === 'ad_valorem' ? (to.percent > from.percent ? 'raises' : 'lowers') : 'changes'
      return `${who} ${verb} ${its} from ${rateText(from)} to ${rateText(to)}${effective(event)}`
    }
    case 'MeasureScopeChanged':
      return `${who} changes the scope of ${its}${scopeDetail(old, m)}${effective(event)}`
    case 'ExemptionGranted': {
      const d = event.data
      const within = d.rateWithin ? ` (${rateText(d.rateWithin)} instead of ${rateText(m.rate)})` : ''
      return `${who} exempts ${exempted(d)} from ${its}${within}${effective(event)}${d.until ? ` until ${d.until}` : ''}`
    }
    case 'ExemptionRevoked':
      return `${who} ends the ${event.data.exemptionId} exemption from ${its}${effective(event)}`
    case 'TariffRateQuotaSet': {
      const q = event.data
      const lowers = q.inQuotaRate.type === 'ad_valorem' && m.rate?.type === 'ad_valorem' && q.inQuotaRate.percent < m.rate.percent
      if (lowers) return `${who} lowers ${its} from ${rateText(m.rate)} to ${rateText(q.inQuotaRate)} for ${quotaText(q)}${effective(event)}`
      return `${who} sets a quota of ${quotaText(q)} at ${rateText(q.inQuotaRate)} under ${its}${effective(event)}`
    }
    case 'TariffRateQuotaChanged': {
      const q = m.quotas.find((quota) => quota.quotaId === event.data.quotaId)
      return `${who} changes the ${event.data.quotaId} quota under ${its}${q ? ` to ${quotaText(q)} at ${rateText(q.inQuotaRate)}` : ''}${effective(event)}`
    }
    case 'MeasureSuspended':
      return `${who} suspends ${its}${old?.rate ? ` (${rateText(old.rate)})` : ''} from ${effectiveDay(event)}${event.data.until ? ` until ${event.data.until}` : ''}`
    case 'MeasureReinstated':
      return `${who} reinstates ${its}${at}${effective(event)}`
    case 'MeasureRevoked': {
      const [verb, why] = revocationWords[event.data.reason] ?? ['revokes', '']
      const replaced = event.data.replacedBy ? ` with ${event.data.replacedBy}` : ''
      return `${who} ${verb} ${its}${old?.rate ? ` (${rateText(old.rate)})` : ''}${why}${replaced}${effective(event)}`
    }
    case 'MeasureExpired':
      return `${theirs} expires on ${effectiveDay(event)}`
    case 'MeasureInvalidatedByCourt':
      return `${event.data.court} strikes down ${theirs}${effective(event)}`
    case 'MeasureLinked': {
      const link = m.links[m.links.length - 1]
      const other = link?.otherMeasureId ?? link?.agreementId ?? 'another record'
      return `${theirs} ${relationWords[link?.relation ?? ''] ?? 'is linked to'} ${other}`
    }
    default:
      return `${who}: ${inSentence(m.title)} (${event.type})`
  }
}

function scopeDetail(before: LiveMeasure | undefined, after: LiveMeasure): string {
  if (!before) return ''
  const added = after.products.length + after.tariffLines.length - before.products.length - before.tariffLines.length
  const parts: string[] = []
  if (added > 0) parts.push(`${added} product code${added === 1 ? '' : 's'} added`)
  if (added < 0) parts.push(`${-added} product code${added === -1 ? '' : 's'} removed`)
  const listed = (m: LiveMeasure) => (m.targets.mode === 'listed' ? m.targets.countries : [])
  const newTargets = listed(after).filter((c) => !listed(before).includes(c))
  const gone = listed(before).filter((c) => !listed(after).includes(c))
  if (newTargets.length > 0) parts.push(`now also on ${listOfNames(newTargets)}`)
  if (gone.length > 0) parts.push(`no longer on ${listOfNames(gone)}`)
  return parts.length > 0 ? ` (${parts.join('; ')})` : ''
}

function agreementTitle({ event }: Change, a: LiveAgreement): string {
  const parties = listOfNames(a.parties)
  const title = a.title
  switch (event.type) {
    case 'NegotiationsLaunched':
      return `${parties} launch ${a.kind === 'negotiation' ? title : `negotiations on ${title}`}`
    case 'TalksSuspended':
      return `${event.data.by ? `${shortName(event.data.by)} suspends` : `${parties} suspend`} ${title}`
    case 'TalksResumed':
      return `${parties} resume ${title}`
    case 'TalksTerminated':
      return `${event.data.by ? `${shortName(event.data.by)} ends` : `${parties} end`} ${title}`
    case 'PreliminaryArrangementAnnounced':
      return `${parties} announce a preliminary arrangement: ${title}`
    case 'AgreementConcluded':
      return `${parties} conclude ${title}`
    case 'AgreementSigned':
      return `${event.data.signatories ? listOfNames(event.data.signatories) : parties} sign ${title}`
    case 'AgreementRatified':
      return `${shortName(event.data.party)} ratifies ${title}`
    case 'ProvisionalApplicationStarted':
      return `${title} applies provisionally from ${effectiveDay(event)}`
    case 'AgreementEnteredIntoForce':
      return `${title} enters into force on ${effectiveDay(event)}`
    case 'ReviewScheduled':
      return `${title}: review scheduled for ${event.data.reviewDate}`
    case 'ReviewStarted':
      return `${title}: review begins`
    case 'ReviewConcluded':
      return `${title}: review concluded (${event.data.outcome.replaceAll('_', ' ')})`
    case 'AgreementAmended':
      return `${title} amended${effective(event)}`
    case 'AgreementSuspended':
      return `${event.data.by ? `${shortName(event.data.by)} suspends` : `${parties} suspend`} ${title}${effective(event)}`
    case 'AgreementReinstated':
      return `${title} reinstated${effective(event)}`
    case 'WithdrawalNotified':
      return `${shortName(event.data.party)} notifies its withdrawal from ${title}${event.data.effectiveOn ? `, effective ${event.data.effectiveOn}` : ''}`
    case 'AgreementTerminated':
      return `${title} terminated (${event.data.reason.replaceAll('_', ' ')})${effective(event)}`
    case 'CommitmentRecorded':
      return `${shortName(event.data.party)} commits under ${title}: ${event.data.description}`
    default:
      return `${title} (${event.type})`
  }
}
