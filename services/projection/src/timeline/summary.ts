import type { EventEnvelope, Rate, Targets } from '@tradewatch/domain'
import { effectiveDay } from '../measure-history/world-time.js'

const rateText = (rate: Rate | null | undefined) => {
  if (!rate) return 'no stated rate'
  return rate.type === 'ad_valorem' ? `${rate.percent}%` : `${rate.amount} ${rate.currency}/${rate.unit}`
}
const targetsText = (targets: Targets) =>
  targets.mode === 'listed' ? targets.countries.join(', ') : targets.mode === 'all' ? 'all origins' : `all origins except ${targets.excluded.join(', ')}`
const words = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^(\w)(.*)$/, (_, first: string, rest: string) => first + rest.toLowerCase())

/** One human line saying what an event did, built from its data alone (deterministic, English). */
export function summarize(event: EventEnvelope): string {
  const on = effectiveDay(event)
  switch (event.type) {
    case 'MeasureThreatened':
    case 'MeasureAnnounced': {
      const d = event.data
      const verb = event.type === 'MeasureThreatened' ? 'threatens' : 'announces'
      const planned = d.plannedEffectiveAt ? `, from ${d.plannedEffectiveAt}` : ''
      return `${d.imposer} ${verb} ${d.kind.replace('_', ' ')} of ${rateText(d.rate)} on ${targetsText(d.targets)}${planned}: ${d.productText}`
    }
    case 'MeasurePostponed':
      return event.data.newPlannedEffectiveAt ? `Postponed to ${event.data.newPlannedEffectiveAt}` : 'Postponed without a new date'
    case 'MeasureEnteredIntoForce':
      return `In force from ${on}`
    case 'MeasureRateChanged':
      return `Rate changed${event.data.before !== undefined ? ` from ${rateText(event.data.before)}` : ''} to ${rateText(event.data.after)} from ${on}`
    case 'ExemptionGranted':
      return `Exemption ${event.data.exemptionId} at ${event.data.rateWithin ? rateText(event.data.rateWithin) : 'no duty'} from ${on}${event.data.until ? ` until ${event.data.until}` : ''}`
    case 'TariffRateQuotaSet':
      return `Quota ${event.data.quotaId}: ${event.data.quantity} ${event.data.unit} per ${event.data.period.replace('_', ' ')} at ${rateText(event.data.inQuotaRate)}`
    case 'MeasureSuspended':
      return `Suspended from ${on}${event.data.until ? ` until ${event.data.until}` : ''}: ${event.data.reason}`
    case 'MeasureRevoked':
      return `Revoked from ${on} (${event.data.reason})${event.data.note ? `: ${event.data.note}` : ''}`
    case 'MeasureInvalidatedByCourt':
      return `Invalidated by ${event.data.court} from ${on}`
    case 'MeasureLinked':
      return `Linked: ${event.data.relation.replaceAll('_', ' ')} ${event.data.target.id}`
    case 'NegotiationsLaunched':
      return `Negotiations launched between ${event.data.parties.join(', ')}: ${event.data.title}`
    case 'CommitmentRecorded':
      return `${event.data.party} commits (${event.data.type.replace('_', ' ')}): ${event.data.description}`
    default: {
      const data = event.data as { summary?: string; reason?: string; note?: string; description?: string }
      const detail = data.summary ?? data.reason ?? data.note ?? data.description
      return `${words(event.type)} (${on})${detail ? `: ${detail}` : ''}`
    }
  }
}
