import { deepEqual } from '../equal.js'
import { DomainError } from '../errors/domain-error.js'
import type { MeasureEvent, MeasureEventType } from './events.js'
import { applyScopeChange, missingFromScope } from './scope.js'
import { isMeasureEnded, type LiveMeasureState, type MeasureState, type MeasureStatus, measureLinkOf } from './state.js'

const liveStatuses = ['threatened', 'announced', 'in_force', 'suspended'] as const
// Exemptions, quotas and court rulings need a measure with a legal text, not a threat.
const enactedStatuses = ['announced', 'in_force', 'suspended'] as const

const terminalEventOf: Partial<Record<MeasureStatus, MeasureEventType>> = {
  revoked: 'MeasureRevoked',
  expired: 'MeasureExpired',
  invalidated_by_court: 'MeasureInvalidatedByCourt',
}

/**
 * Decides which events to record for a proposed measure event, given the measure's current state.
 *
 * Returns `[proposed]` to record it, `[]` when the fact is already reflected (a no-op), or throws a {@link DomainError}.
 * No-ops: entering into force when in force; a rate change to the current rate; a scope change that changes nothing;
 * postponing to the date already planned; suspending with the same `until` as the current suspension; reinstating an
 * in-force measure; granting an identical exemption or setting an identical quota again; a quota change that changes no
 * term; a link that exists; repeating the event that ended the measure.
 *
 * @example
 * decideMeasure(initialMeasureState, { type: 'MeasureAnnounced', data }) // [that event]
 */
export const decideMeasure = (state: MeasureState, proposed: MeasureEvent): MeasureEvent[] => {
  if (state.status === 'none') {
    if (proposed.type === 'MeasureThreatened' || proposed.type === 'MeasureAnnounced') return [proposed]
    throw new DomainError('MEASURE_NOT_ANNOUNCED', `Cannot record ${proposed.type}: expected an announced or threatened measure, found none`, {
      eventType: proposed.type,
    })
  }
  if (isMeasureEnded(state)) {
    if (proposed.type === 'MeasureLinked') return decideLive(state, proposed)
    if (terminalEventOf[state.status] === proposed.type) return []
    throw new DomainError('MEASURE_ENDED', `Cannot record ${proposed.type}: the measure has ended (${state.status})`, {
      eventType: proposed.type,
      status: state.status,
    })
  }
  return decideLive(state, proposed)
}

const decideLive = (state: LiveMeasureState, proposed: MeasureEvent): MeasureEvent[] => {
  switch (proposed.type) {
    case 'MeasureThreatened':
      throw alreadyAnnounced(state, proposed)
    case 'MeasureAnnounced':
      if (state.status !== 'threatened') throw alreadyAnnounced(state, proposed)
      return [proposed]
    case 'MeasurePostponed':
      requireStatus(state, proposed, ['threatened', 'announced'])
      return proposed.data.newPlannedEffectiveAt === state.plannedEffectiveAt ? [] : [proposed]
    case 'MeasureEnteredIntoForce':
      if (state.status === 'in_force') return []
      requireStatus(state, proposed, ['announced'])
      return [proposed]
    case 'MeasureRateChanged': {
      requireStatus(state, proposed, liveStatuses)
      const { before, after } = proposed.data
      if (before !== undefined && !deepEqual(before, state.rate)) {
        throw new DomainError(
          'RATE_MISMATCH',
          `Cannot record MeasureRateChanged: expected before to equal the current rate ${JSON.stringify(state.rate)}, found ${JSON.stringify(before)}`,
          { eventType: proposed.type, currentRate: state.rate, before },
        )
      }
      return deepEqual(after, state.rate) ? [] : [proposed]
    }
    case 'MeasureScopeChanged': {
      requireStatus(state, proposed, liveStatuses)
      const missing = missingFromScope(state, proposed.data)
      if (missing.products.length + missing.tariffLines.length + missing.targets.length > 0) {
        throw new DomainError(
          'SCOPE_MISMATCH',
          `Cannot record MeasureScopeChanged: expected removed items to be in scope, found ${JSON.stringify(missing)} not in it`,
          {
            eventType: proposed.type,
            missing,
          },
        )
      }
      const next = applyScopeChange(state, proposed.data)
      if (next.targets.mode === 'listed' && next.targets.countries.length === 0) {
        throw new DomainError('SCOPE_MISMATCH', 'Cannot record MeasureScopeChanged: expected at least one target to remain, found none', {
          eventType: proposed.type,
        })
      }
      const current = { products: state.products, tariffLines: state.tariffLines, targets: state.targets, productText: state.productText }
      return deepEqual(next, current) ? [] : [proposed]
    }
    case 'ExemptionGranted': {
      requireStatus(state, proposed, enactedStatuses)
      const existing = state.exemptions.find((e) => e.exemptionId === proposed.data.exemptionId)
      if (existing === undefined) return [proposed]
      const { exemptionId, rateWithin, until, description, ...scope } = proposed.data
      if (deepEqual(existing, { exemptionId, scope, rateWithin: rateWithin ?? null, until: until ?? null, description: description ?? null })) return []
      throw new DomainError('EXEMPTION_CONFLICT', `Cannot record ExemptionGranted: exemption ${exemptionId} exists with other terms; revoke it first`, {
        eventType: proposed.type,
        exemptionId,
        existing,
      })
    }
    case 'ExemptionRevoked':
      requireStatus(state, proposed, enactedStatuses)
      if (!state.exemptions.some((e) => e.exemptionId === proposed.data.exemptionId)) {
        throw new DomainError(
          'EXEMPTION_NOT_FOUND',
          `Cannot record ExemptionRevoked: expected exemption ${proposed.data.exemptionId}, found ${listOrNone(state.exemptions.map((e) => e.exemptionId))}`,
          { eventType: proposed.type, exemptionId: proposed.data.exemptionId },
        )
      }
      return [proposed]
    case 'TariffRateQuotaSet': {
      requireStatus(state, proposed, enactedStatuses)
      const existing = state.quotas.find((q) => q.quotaId === proposed.data.quotaId)
      if (existing === undefined) return [proposed]
      const incoming = { ...proposed.data, allocation: proposed.data.allocation ?? null, reviewAt: proposed.data.reviewAt ?? null }
      if (deepEqual(existing, incoming)) return []
      throw new DomainError(
        'QUOTA_CONFLICT',
        `Cannot record TariffRateQuotaSet: quota ${proposed.data.quotaId} exists with other terms; use TariffRateQuotaChanged`,
        {
          eventType: proposed.type,
          quotaId: proposed.data.quotaId,
          existing,
        },
      )
    }
    case 'TariffRateQuotaChanged': {
      requireStatus(state, proposed, enactedStatuses)
      const existing = state.quotas.find((q) => q.quotaId === proposed.data.quotaId)
      if (existing === undefined) {
        throw new DomainError(
          'QUOTA_NOT_FOUND',
          `Cannot record TariffRateQuotaChanged: expected quota ${proposed.data.quotaId}, found ${listOrNone(state.quotas.map((q) => q.quotaId))}`,
          { eventType: proposed.type, quotaId: proposed.data.quotaId },
        )
      }
      const changes = Object.entries(proposed.data).filter(([, value]) => value !== undefined)
      return changes.every(([key, value]) => deepEqual(existing[key as keyof typeof existing], value)) ? [] : [proposed]
    }
    case 'MeasureSuspended':
      requireStatus(state, proposed, ['in_force', 'suspended'])
      // A new `until` on a suspended measure is an extension (e.g. a 90-day reprieve prolonged), so it is recorded.
      return state.suspension !== null && state.suspension.until === (proposed.data.until ?? null) ? [] : [proposed]
    case 'MeasureReinstated':
      if (state.status === 'in_force') return []
      requireStatus(state, proposed, ['suspended'])
      return [proposed]
    case 'MeasureRevoked':
      return [proposed]
    case 'MeasureExpired':
      requireStatus(state, proposed, ['in_force', 'suspended'])
      return [proposed]
    case 'MeasureInvalidatedByCourt':
      requireStatus(state, proposed, enactedStatuses)
      return [proposed]
    case 'MeasureLinked': {
      const link = measureLinkOf(proposed.data)
      return state.links.some((existing) => deepEqual(existing, link)) ? [] : [proposed]
    }
  }
}

function requireStatus(state: LiveMeasureState, proposed: MeasureEvent, allowed: readonly MeasureStatus[]): void {
  if (allowed.includes(state.status)) return
  throw new DomainError(
    'ILLEGAL_MEASURE_TRANSITION',
    `Cannot record ${proposed.type}: expected the measure to be ${allowed.join(' or ')}, found ${state.status}`,
    { eventType: proposed.type, status: state.status, allowed },
  )
}

const alreadyAnnounced = (state: LiveMeasureState, proposed: MeasureEvent) =>
  new DomainError('MEASURE_ALREADY_ANNOUNCED', `Cannot record ${proposed.type}: expected a new measure, found one that is ${state.status}`, {
    eventType: proposed.type,
    status: state.status,
  })

const listOrNone = (ids: readonly string[]) => (ids.length === 0 ? 'none' : ids.join(', '))
