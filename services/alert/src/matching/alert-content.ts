import { agreementOf, type Change, measureOf, rateChangePp, rateText } from './change.js'

/** The part of a state an alert shows: enough to say what changed, without every tariff line. */
function view(state: Change['before']) {
  const m = measureOf(state)
  if (m) {
    return {
      status: m.status,
      kind: m.kind,
      title: m.title,
      imposer: m.imposer,
      targets: m.targets,
      rate: m.rate,
      direction: m.direction,
      products: m.products.map((p) => p.code),
      plannedEffectiveAt: m.plannedEffectiveAt,
      suspension: m.suspension,
      exemptions: m.exemptions.map((e) => ({ exemptionId: e.exemptionId, rateWithin: e.rateWithin, until: e.until })),
      quotas: m.quotas,
    }
  }
  const a = agreementOf(state)
  if (a) return { status: a.status, kind: a.kind, title: a.title, parties: a.parties, signatories: a.signatories, ratifiedBy: a.ratifiedBy }
  return { status: state.status }
}

/** A short second line: what moved (status, rate) and why, as the event says. */
export function alertSummary(change: Change): string {
  const before = view(change.before)
  const after = view(change.after)
  const parts: string[] = []
  if (before.status !== after.status) parts.push(`status ${before.status} → ${after.status}`)
  const from = measureOf(change.before)?.rate
  const to = measureOf(change.after)?.rate
  if (measureOf(change.before) && JSON.stringify(from) !== JSON.stringify(to)) parts.push(`rate ${rateText(from)} → ${rateText(to)}`)
  const pp = rateChangePp(change)
  if (pp) parts.push(`duty ${pp > 0 ? '+' : ''}${pp} pp`)
  const data = change.event.data as { reason?: unknown; note?: unknown; summary?: unknown; description?: unknown }
  const why = [data.reason, data.note, data.summary, data.description].find((v) => typeof v === 'string' && v.length > 0) as string | undefined
  const moved = parts.length > 0 ? `${parts.join('; ')}.` : 'No change of status or rate.'
  return why ? `${moved} ${why.charAt(0).toUpperCase()}${why.slice(1).replace(/\.?$/, '.')}` : moved
}

/** What an alert says about its change, the same for every subscription it matches: the title, the structured change, the event and its source. */
export function alertContent(title: string, change: Change) {
  const { event } = change
  return {
    title,
    summary: alertSummary(change),
    eventId: event.id,
    position: event.position,
    aggregate: { type: event.aggregateType, id: event.aggregateId },
    change: { before: view(change.before), after: view(change.after), rateChangePp: rateChangePp(change) ?? null },
    event,
    source: event.source,
    occurredAt: event.occurredAt,
    effectiveAt: event.effectiveAt,
    recordedAt: event.recordedAt,
  }
}
export type AlertContent = ReturnType<typeof alertContent>

/** The alert as stored, published and posted: its content under its own id and subscription. */
export const alertPayload = (alertId: string, subscriptionId: string, content: AlertContent) => ({ alertId, subscriptionId, ...content })
export type AlertPayload = ReturnType<typeof alertPayload>
