import type { MeasureEvent } from './events.js'
import { applyScopeChange } from './scope.js'
import { type LiveMeasureState, type MeasureState, measureLinkOf } from './state.js'

/**
 * Folds one measure event into the state. Total and pure: it trusts that `decideMeasure` accepted the event,
 * and leaves the state unchanged for an event that cannot apply (so replaying odd history never throws).
 */
export const evolveMeasure = (state: MeasureState, event: MeasureEvent): MeasureState => {
  if (event.type === 'MeasureThreatened' || event.type === 'MeasureAnnounced') {
    const data = event.data
    const previous = state.status === 'none' ? undefined : state
    return {
      status: event.type === 'MeasureThreatened' ? 'threatened' : 'announced',
      announcementId: data.announcementId ?? null,
      kind: data.kind,
      title: data.title,
      imposer: data.imposer,
      targets: data.targets,
      products: data.products,
      tariffLines: data.tariffLines ?? [],
      productText: data.productText,
      rate: data.rate,
      legalBasis: data.legalBasis ?? null,
      direction: data.direction,
      plannedEffectiveAt: data.plannedEffectiveAt ?? null,
      condition: event.type === 'MeasureThreatened' ? (event.data.condition ?? null) : null,
      suspension: null,
      exemptions: [],
      quotas: [],
      links: previous?.links ?? [],
      ending: null,
    }
  }
  if (state.status === 'none') return state
  return evolveLive(state, event)
}

const evolveLive = (state: LiveMeasureState, event: Exclude<MeasureEvent, { type: 'MeasureThreatened' | 'MeasureAnnounced' }>): LiveMeasureState => {
  switch (event.type) {
    case 'MeasurePostponed':
      return { ...state, plannedEffectiveAt: event.data.newPlannedEffectiveAt }
    case 'MeasureEnteredIntoForce':
      return { ...state, status: 'in_force' }
    case 'MeasureRateChanged':
      return { ...state, rate: event.data.after }
    case 'MeasureScopeChanged':
      return { ...state, ...applyScopeChange(state, event.data) }
    case 'ExemptionGranted': {
      const { exemptionId, rateWithin, until, description, ...scope } = event.data
      const exemption = { exemptionId, scope, rateWithin: rateWithin ?? null, until: until ?? null, description: description ?? null }
      return { ...state, exemptions: [...state.exemptions.filter((e) => e.exemptionId !== exemptionId), exemption] }
    }
    case 'ExemptionRevoked':
      return { ...state, exemptions: state.exemptions.filter((e) => e.exemptionId !== event.data.exemptionId) }
    case 'TariffRateQuotaSet': {
      const quota = { ...event.data, allocation: event.data.allocation ?? null, reviewAt: event.data.reviewAt ?? null }
      return { ...state, quotas: [...state.quotas.filter((q) => q.quotaId !== quota.quotaId), quota] }
    }
    case 'TariffRateQuotaChanged': {
      const changes = Object.fromEntries(Object.entries(event.data).filter(([, value]) => value !== undefined))
      return { ...state, quotas: state.quotas.map((q) => (q.quotaId === event.data.quotaId ? { ...q, ...changes } : q)) }
    }
    case 'MeasureSuspended':
      return { ...state, status: 'suspended', suspension: { until: event.data.until ?? null, reason: event.data.reason } }
    case 'MeasureReinstated':
      return { ...state, status: 'in_force', suspension: null }
    case 'MeasureRevoked':
      return { ...state, status: 'revoked', suspension: null, ending: { reason: event.data.reason, replacedBy: event.data.replacedBy ?? null } }
    case 'MeasureExpired':
      return { ...state, status: 'expired', suspension: null, ending: { reason: 'expired', replacedBy: null } }
    case 'MeasureInvalidatedByCourt':
      return { ...state, status: 'invalidated_by_court', suspension: null, ending: { reason: 'court_invalidated', replacedBy: null } }
    case 'MeasureLinked':
      return { ...state, links: [...state.links, measureLinkOf(event.data)] }
  }
}
