import type { LinkRelation, MeasureEventData, RevocationReason } from './events.js'
import type { Direction, LegalBasis, MeasureKind, Product, Rate, Targets } from './fields.js'

/** Lifecycle statuses of a measure. `none` means no event yet; the last three are terminal. */
export const measureStatuses = ['none', 'threatened', 'announced', 'in_force', 'suspended', 'revoked', 'expired', 'invalidated_by_court'] as const
export type MeasureStatus = (typeof measureStatuses)[number]

/** Statuses after which only links may still be recorded. */
export const endedMeasureStatuses = ['revoked', 'expired', 'invalidated_by_court'] as const satisfies readonly MeasureStatus[]
export type EndedMeasureStatus = (typeof endedMeasureStatuses)[number]

export interface MeasureExemption {
  exemptionId: string
  scope: Omit<MeasureEventData<'ExemptionGranted'>, 'exemptionId' | 'rateWithin' | 'until' | 'description'>
  rateWithin: Rate | null
  until: string | null
  description: string | null
}

export type MeasureQuota = Omit<MeasureEventData<'TariffRateQuotaSet'>, 'allocation' | 'reviewAt'> & { allocation: string | null; reviewAt: string | null }

/** A link as state and read models keep it: one id set, the other null (`MeasureLinked` v2 says which with `target`). */
export interface MeasureLink {
  relation: LinkRelation
  otherMeasureId: string | null
  agreementId: string | null
}

export const measureLinkOf = ({ relation, target }: MeasureEventData<'MeasureLinked'>): MeasureLink => ({
  relation,
  otherMeasureId: target.aggregateType === 'measure' ? target.id : null,
  agreementId: target.aggregateType === 'agreement' ? target.id : null,
})

/** What alerts and projections need to know about a measure now; the history lives in its stream. */
export interface LiveMeasureState {
  status: Exclude<MeasureStatus, 'none'>
  announcementId: string | null
  kind: MeasureKind
  title: string
  imposer: string
  targets: Targets
  products: Product[]
  tariffLines: string[]
  productText: string
  rate: Rate | null
  /** Null only while the measure is a threat whose legal footing nobody named. */
  legalBasis: LegalBasis | null
  direction: Direction
  plannedEffectiveAt: string | null
  condition: string | null
  suspension: { until: string | null; reason: string } | null
  exemptions: MeasureExemption[]
  quotas: MeasureQuota[]
  links: MeasureLink[]
  /** Why it ended, once it has. */
  ending: { reason: RevocationReason | 'expired'; replacedBy: string | null } | null
}

export type MeasureState = { status: 'none' } | LiveMeasureState

/** The state before a measure's first event. */
export const initialMeasureState: MeasureState = { status: 'none' }

export const isMeasureEnded = (state: MeasureState): state is LiveMeasureState & { status: EndedMeasureStatus } =>
  (endedMeasureStatuses as readonly string[]).includes(state.status)
