import { type EventEnvelope, partyName } from '@tradewatch/domain'

/** "MeasureRateChanged" → "rate changed": the event type read as words. */
function typeInWords(type: string): string {
  return type
    .replace(/^(Measure|Agreement)/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim()
}

/**
 * A one-sentence title from the event itself, e.g. "Canada: Surtax on Chinese electric
 * vehicles — announced (effective 2024-10-01)".
 */
export function alertTitle(event: EventEnvelope): string {
  const data = (event.data ?? {}) as { title?: unknown; imposer?: unknown }
  const subject = typeof data.title === 'string' ? data.title : event.aggregateId
  const party = typeof data.imposer === 'string' ? `${partyName(data.imposer) ?? data.imposer}: ` : ''
  const effective = event.effectiveAt ? ` (effective ${event.effectiveAt.slice(0, 10)})` : ''
  return `${party}${subject} — ${typeInWords(event.type)}${effective}`
}
