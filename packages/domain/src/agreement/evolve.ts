import type { AgreementEvent } from './events.js'
import type { AgreementState, LiveAgreementState } from './state.js'

/**
 * Folds one agreement event into the state. Total and pure: it trusts that `decideAgreement` accepted the event,
 * and leaves the state unchanged for an event that cannot apply.
 */
export const evolveAgreement = (state: AgreementState, event: AgreementEvent): AgreementState => {
  if (event.type === 'NegotiationsLaunched') {
    if (state.status !== 'none') return state
    return {
      status: 'negotiating',
      kind: event.data.kind,
      title: event.data.title,
      parties: event.data.parties,
      signatories: [],
      ratifiedBy: [],
      statusBeforeTalksSuspended: null,
      statusBeforeReview: null,
      statusBeforeSuspension: null,
      nextReview: null,
      amendments: 0,
      withdrawals: [],
      commitments: [],
      ending: null,
    }
  }
  if (state.status === 'none') return state
  return evolveLive(state, event)
}

const refine = (state: LiveAgreementState, data: { kind?: LiveAgreementState['kind'] | undefined; title?: string | undefined }) => ({
  kind: data.kind ?? state.kind,
  title: data.title ?? state.title,
})

const evolveLive = (state: LiveAgreementState, event: Exclude<AgreementEvent, { type: 'NegotiationsLaunched' }>): LiveAgreementState => {
  switch (event.type) {
    case 'TalksSuspended':
      return { ...state, status: 'talks_suspended', statusBeforeTalksSuspended: state.status }
    case 'TalksResumed':
      return { ...state, status: state.statusBeforeTalksSuspended ?? 'negotiating', statusBeforeTalksSuspended: null }
    case 'TalksTerminated':
      return { ...state, status: 'talks_terminated', ending: { reason: event.data.reason, supersededBy: null } }
    case 'PreliminaryArrangementAnnounced':
      return { ...state, ...refine(state, event.data), status: 'preliminary' }
    case 'AgreementConcluded':
      return { ...state, ...refine(state, event.data), status: 'concluded' }
    case 'AgreementSigned':
      return { ...state, ...refine(state, event.data), status: 'signed', signatories: event.data.signatories ?? state.parties }
    case 'AgreementRatified': {
      const ratifiedBy = state.ratifiedBy.includes(event.data.party) ? state.ratifiedBy : [...state.ratifiedBy, event.data.party]
      const allRatified = state.parties.every((party) => ratifiedBy.includes(party))
      return { ...state, ratifiedBy, status: state.status === 'signed' && allRatified ? 'ratified' : state.status }
    }
    case 'ProvisionalApplicationStarted':
      return { ...state, status: 'provisionally_applied' }
    case 'AgreementEnteredIntoForce':
      return { ...state, status: 'in_force' }
    case 'ReviewScheduled':
      return { ...state, nextReview: event.data }
    case 'ReviewStarted':
      return { ...state, status: 'under_review', statusBeforeReview: state.status }
    case 'ReviewConcluded':
      return { ...state, status: state.statusBeforeReview ?? 'in_force', statusBeforeReview: null, nextReview: null }
    case 'AgreementAmended':
      return { ...state, amendments: state.amendments + 1 }
    case 'AgreementSuspended':
      return { ...state, status: 'suspended', statusBeforeSuspension: state.status }
    case 'AgreementReinstated':
      return { ...state, status: state.statusBeforeSuspension ?? 'in_force', statusBeforeSuspension: null }
    case 'WithdrawalNotified':
      return { ...state, withdrawals: [...state.withdrawals, { party: event.data.party, effectiveOn: event.data.effectiveOn ?? null }] }
    case 'AgreementTerminated':
      return { ...state, status: 'terminated', ending: { reason: event.data.reason, supersededBy: event.data.supersededBy ?? null } }
    case 'CommitmentRecorded': {
      const commitment = { ...event.data, measureIds: event.data.measureIds ?? [], dueDate: event.data.dueDate ?? null }
      return { ...state, commitments: [...state.commitments.filter((c) => c.commitmentId !== commitment.commitmentId), commitment] }
    }
  }
}
