import type { TimelineSubjectsTable } from '@tradewatch/db'
import type { EventEnvelope, Targets } from '@tradewatch/domain'
import type { Selectable } from 'kysely'

export type Subject = Selectable<TimelineSubjectsTable>

const targetCodes = (targets: Targets) => (targets.mode === 'listed' ? targets.countries : targets.mode === 'all_except' ? targets.excluded : [])
const union = (a: readonly string[], b: readonly string[] = []) => [...new Set([...a, ...b])]

/** The aggregate as the timeline knows it after `event`: its title, the countries and HS codes it has ever involved. */
export function nextSubject(subject: Subject | undefined, event: EventEnvelope): Subject | undefined {
  switch (event.type) {
    case 'MeasureThreatened':
    case 'MeasureAnnounced': {
      const d = event.data
      return {
        aggregate_id: event.aggregateId,
        aggregate_type: 'measure',
        title: d.title,
        countries: union(subject?.countries ?? [], [d.imposer, ...targetCodes(d.targets)]),
        hs_codes: union(subject?.hs_codes ?? [], [...d.products.map((p) => p.code), ...(d.tariffLines ?? [])]),
        product_text: d.productText,
      }
    }
    case 'NegotiationsLaunched':
      return {
        aggregate_id: event.aggregateId,
        aggregate_type: 'agreement',
        title: event.data.title,
        countries: event.data.parties,
        hs_codes: [],
        product_text: null,
      }
    case 'MeasureScopeChanged': {
      if (!subject) return subject
      const d = event.data
      return {
        ...subject,
        countries: union(subject.countries, d.addedTargets),
        hs_codes: union(subject.hs_codes, [...(d.addedProducts ?? []).map((p) => p.code), ...(d.addedTariffLines ?? [])]),
        product_text: d.productText ?? subject.product_text,
      }
    }
    case 'PreliminaryArrangementAnnounced':
    case 'AgreementConcluded':
    case 'AgreementSigned':
      return subject && event.data.title ? { ...subject, title: event.data.title } : subject
    default:
      return subject
  }
}

/** Countries and HS codes an event names itself (an exemption's origins, a ratifying party, removed products…). */
export function namedByEvent(event: EventEnvelope): { countries: string[]; hsCodes: string[] } {
  const d = event.data as Record<string, unknown>
  const list = (key: string) => (Array.isArray(d[key]) ? (d[key] as unknown[]) : [])
  const one = (key: string) => (typeof d[key] === 'string' ? [d[key] as string] : [])
  const countries = [...one('party'), ...one('by'), ...list('origins'), ...list('removedTargets'), ...list('signatories'), ...list('parties')] as string[]
  const products = [...list('products'), ...list('removedProducts')] as { code: string }[]
  return { countries, hsCodes: [...products.map((p) => p.code), ...(list('tariffLines') as string[]), ...(list('removedTariffLines') as string[])] }
}
