import type { AgreementEventData, AgreementKind } from './events.js'

/** Lifecycle statuses of an agreement. `none` means no event yet; `talks_terminated` and `terminated` are terminal. */
export const agreementStatuses = [
  'none',
  'negotiating',
  'talks_suspended',
  'preliminary',
  'concluded',
  'signed',
  'ratified',
  'provisionally_applied',
  'in_force',
  'under_review',
  'suspended',
  'talks_terminated',
  'terminated',
] as const
export type AgreementStatus = (typeof agreementStatuses)[number]
export type LiveAgreementStatus = Exclude<AgreementStatus, 'none'>

export const endedAgreementStatuses = ['talks_terminated', 'terminated'] as const satisfies readonly AgreementStatus[]

export type AgreementCommitment = Omit<AgreementEventData<'CommitmentRecorded'>, 'measureIds' | 'dueDate'> & { measureIds: string[]; dueDate: string | null }

/** What alerts and projections need to know about an agreement now. */
export interface LiveAgreementState {
  status: LiveAgreementStatus
  kind: AgreementKind
  title: string
  parties: string[]
  signatories: string[]
  ratifiedBy: string[]
  // Pauses return to where they started; they can nest (a suspension during a review).
  statusBeforeTalksSuspended: LiveAgreementStatus | null
  statusBeforeReview: LiveAgreementStatus | null
  statusBeforeSuspension: LiveAgreementStatus | null
  nextReview: AgreementEventData<'ReviewScheduled'> | null
  amendments: number
  withdrawals: { party: string; effectiveOn: string | null }[]
  commitments: AgreementCommitment[]
  ending: { reason: string; supersededBy: string | null } | null
}

export type AgreementState = { status: 'none' } | LiveAgreementState

/** The state before an agreement's first event. */
export const initialAgreementState: AgreementState = { status: 'none' }

export const isAgreementEnded = (state: AgreementState): state is LiveAgreementState & { status: (typeof endedAgreementStatuses)[number] } =>
  (endedAgreementStatuses as readonly string[]).includes(state.status)
