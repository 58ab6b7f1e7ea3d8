import { decideAgreement } from '../agreement/decide.js'
import { type AgreementEvent, type AgreementEventData, agreementEventSchema } from '../agreement/events.js'
import { evolveAgreement } from '../agreement/evolve.js'
import { initialAgreementState } from '../agreement/state.js'
import { deciderSpec } from './decider-spec.js'

/** Given/When/Then for the agreement aggregate. */
export const agreementSpec = deciderSpec({
  decide: decideAgreement,
  evolve: evolveAgreement,
  initialState: initialAgreementState,
  schema: agreementEventSchema,
})

/** Builds an agreement event with the type checked against its data. */
export const agreementEvent = <T extends AgreementEvent['type']>(type: T, data: AgreementEventData<T>) =>
  ({ type, data }) as Extract<AgreementEvent, { type: T }>

export const launched = (overrides: Partial<AgreementEventData<'NegotiationsLaunched'>> = {}) =>
  agreementEvent('NegotiationsLaunched', { kind: 'fta', title: 'United States–Mexico–Canada Agreement', parties: ['US', 'MX', 'CA'], ...overrides })

export const talksSuspended = agreementEvent('TalksSuspended', { by: 'US', reason: 'digital services tax' })
export const talksResumed = agreementEvent('TalksResumed', {})
export const talksTerminated = agreementEvent('TalksTerminated', { reason: 'no deal' })
export const preliminary = agreementEvent('PreliminaryArrangementAnnounced', { summary: 'first-step arrangement' })
export const concluded = agreementEvent('AgreementConcluded', {})
export const signed = agreementEvent('AgreementSigned', {})
export const ratified = (party: string) => agreementEvent('AgreementRatified', { party })
export const provisional = agreementEvent('ProvisionalApplicationStarted', {})
export const agreementInForce = agreementEvent('AgreementEnteredIntoForce', {})
export const reviewScheduled = agreementEvent('ReviewScheduled', { reviewId: '2026-joint-review', reviewDate: '2026-07-01', commentDeadline: '2025-11-03' })
export const reviewStarted = agreementEvent('ReviewStarted', {})
export const reviewConcluded = agreementEvent('ReviewConcluded', { outcome: 'extended', extendedYears: 16 })
export const amended = agreementEvent('AgreementAmended', { summary: 'Protocol of Amendment' })
export const agreementSuspended = agreementEvent('AgreementSuspended', { reason: 'dispute' })
export const agreementReinstated = agreementEvent('AgreementReinstated', {})
export const withdrawal = (party: string) => agreementEvent('WithdrawalNotified', { party })
export const terminated = agreementEvent('AgreementTerminated', { reason: 'withdrawal' })
export const commitment = (overrides: Partial<AgreementEventData<'CommitmentRecorded'>> = {}) =>
  agreementEvent('CommitmentRecorded', {
    commitmentId: 'ca-ev-quota',
    party: 'CA',
    type: 'quota',
    description: '49,000 Chinese EVs a year at 6.1%',
    ...overrides,
  })
