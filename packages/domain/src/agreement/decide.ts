import { deepEqual } from '../equal.js'
import { DomainError } from '../errors/domain-error.js'
import type { AgreementEvent, AgreementEventType } from './events.js'
import { type AgreementState, type AgreementStatus, isAgreementEnded, type LiveAgreementState } from './state.js'

const talkingStatuses = ['negotiating', 'preliminary', 'concluded'] as const
const signedStatuses = ['signed', 'ratified', 'provisionally_applied', 'in_force', 'under_review', 'suspended'] as const
const applyingStatuses = ['provisionally_applied', 'in_force', 'under_review'] as const

const terminalEventOf: Partial<Record<AgreementStatus, AgreementEventType>> = {
  talks_terminated: 'TalksTerminated',
  terminated: 'AgreementTerminated',
}

/**
 * Decides which events to record for a proposed agreement event, given the agreement's current state.
 *
 * Returns `[proposed]` to record it, `[]` when the fact is already reflected (a no-op), or throws a {@link DomainError}.
 * No-ops: suspending suspended talks; resuming talks that are not suspended; concluding, signing, starting provisional
 * application or entry into force a second time; a party ratifying or notifying withdrawal again; scheduling the same
 * review again; starting a review that is under way; suspending a suspended agreement; reinstating one that applies;
 * recording an identical commitment again; repeating the event that ended the agreement.
 */
export const decideAgreement = (state: AgreementState, proposed: AgreementEvent): AgreementEvent[] => {
  if (isAgreementEnded(state)) {
    if (terminalEventOf[state.status] === proposed.type) return []
    throw new DomainError('AGREEMENT_TERMINATED', `Cannot record ${proposed.type}: the agreement has ended (${state.status})`, {
      eventType: proposed.type,
      status: state.status,
    })
  }
  if (state.status === 'none') {
    if (proposed.type === 'NegotiationsLaunched') return [proposed]
    throw new DomainError('AGREEMENT_NOT_STARTED', `Cannot record ${proposed.type}: expected an agreement opened by NegotiationsLaunched, found none`, {
      eventType: proposed.type,
    })
  }
  return decideLive(state, proposed)
}

const decideLive = (state: LiveAgreementState, proposed: AgreementEvent): AgreementEvent[] => {
  switch (proposed.type) {
    case 'NegotiationsLaunched':
      throw new DomainError('AGREEMENT_ALREADY_STARTED', `Cannot record NegotiationsLaunched: expected a new agreement, found one that is ${state.status}`, {
        eventType: proposed.type,
        status: state.status,
      })
    case 'TalksSuspended':
      if (state.status === 'talks_suspended') return []
      requireStatus(state, proposed, talkingStatuses)
      requireParties(state, proposed, proposed.data.by === undefined ? [] : [proposed.data.by])
      return [proposed]
    case 'TalksResumed':
      if (isOneOf(state.status, talkingStatuses)) return []
      requireStatus(state, proposed, ['talks_suspended'])
      return [proposed]
    case 'TalksTerminated':
      requireStatus(state, proposed, [...talkingStatuses, 'talks_suspended'])
      requireParties(state, proposed, proposed.data.by === undefined ? [] : [proposed.data.by])
      return [proposed]
    case 'PreliminaryArrangementAnnounced':
      requireStatus(state, proposed, ['negotiating', 'preliminary'])
      return [proposed]
    case 'AgreementConcluded':
      if (state.status === 'concluded') return []
      requireStatus(state, proposed, ['negotiating', 'preliminary'])
      return [proposed]
    case 'AgreementSigned':
      if (state.status === 'signed') return []
      requireStatus(state, proposed, talkingStatuses)
      requireParties(state, proposed, proposed.data.signatories ?? [])
      return [proposed]
    case 'AgreementRatified':
      requireParties(state, proposed, [proposed.data.party])
      if (state.ratifiedBy.includes(proposed.data.party)) return []
      requireStatus(state, proposed, ['signed', 'provisionally_applied'])
      return [proposed]
    case 'ProvisionalApplicationStarted':
      if (state.status === 'provisionally_applied') return []
      requireStatus(state, proposed, ['signed', 'ratified'])
      requireParties(state, proposed, proposed.data.parties ?? [])
      return [proposed]
    case 'AgreementEnteredIntoForce':
      if (state.status === 'in_force') return []
      requireStatus(state, proposed, ['signed', 'ratified', 'provisionally_applied'])
      return [proposed]
    case 'ReviewScheduled':
      requireStatus(state, proposed, applyingStatuses)
      return deepEqual(state.nextReview, proposed.data) ? [] : [proposed]
    case 'ReviewStarted':
      if (state.status === 'under_review') return []
      requireStatus(state, proposed, ['provisionally_applied', 'in_force'])
      return [proposed]
    case 'ReviewConcluded':
      requireStatus(state, proposed, ['under_review'])
      return [proposed]
    case 'AgreementAmended':
      requireStatus(state, proposed, ['signed', 'ratified', ...applyingStatuses])
      return [proposed]
    case 'AgreementSuspended':
      if (state.status === 'suspended') return []
      requireStatus(state, proposed, applyingStatuses)
      requireParties(state, proposed, proposed.data.by === undefined ? [] : [proposed.data.by])
      return [proposed]
    case 'AgreementReinstated':
      if (isOneOf(state.status, applyingStatuses)) return []
      requireStatus(state, proposed, ['suspended'])
      return [proposed]
    case 'WithdrawalNotified':
      requireParties(state, proposed, [proposed.data.party])
      if (state.withdrawals.some((w) => w.party === proposed.data.party)) return []
      requireStatus(state, proposed, [...applyingStatuses, 'suspended'])
      return [proposed]
    case 'AgreementTerminated':
      requireStatus(state, proposed, signedStatuses)
      return [proposed]
    case 'CommitmentRecorded': {
      requireParties(state, proposed, [proposed.data.party])
      const existing = state.commitments.find((c) => c.commitmentId === proposed.data.commitmentId)
      if (existing === undefined) return [proposed]
      if (deepEqual(existing, { ...proposed.data, measureIds: proposed.data.measureIds ?? [], dueDate: proposed.data.dueDate ?? null })) return []
      throw new DomainError('COMMITMENT_CONFLICT', `Cannot record CommitmentRecorded: commitment ${proposed.data.commitmentId} exists with other terms`, {
        eventType: proposed.type,
        commitmentId: proposed.data.commitmentId,
        existing,
      })
    }
  }
}

const isOneOf = <S extends string>(status: string, statuses: readonly S[]): status is S => (statuses as readonly string[]).includes(status)

function requireStatus(state: LiveAgreementState, proposed: AgreementEvent, allowed: readonly AgreementStatus[]): void {
  if (isOneOf(state.status, allowed)) return
  throw new DomainError(
    'ILLEGAL_AGREEMENT_TRANSITION',
    `Cannot record ${proposed.type}: expected the agreement to be ${allowed.join(' or ')}, found ${state.status}`,
    { eventType: proposed.type, status: state.status, allowed },
  )
}

function requireParties(state: LiveAgreementState, proposed: AgreementEvent, named: readonly string[]): void {
  const outsiders = named.filter((party) => !state.parties.includes(party))
  if (outsiders.length === 0) return
  throw new DomainError(
    'PARTY_NOT_IN_AGREEMENT',
    `Cannot record ${proposed.type}: expected parties among ${state.parties.join(', ')}, found ${outsiders.join(', ')}`,
    { eventType: proposed.type, parties: state.parties, outsiders },
  )
}
