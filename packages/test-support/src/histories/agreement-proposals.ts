import { type AgreementEvent, type AgreementState, agreementKinds } from '@tradewatch/domain'
import type { Draw } from './draw.js'
import type { Neighbours, Proposal } from './measure-proposals.js'
import { addDays, imposers } from './world.js'

export interface AgreementTrack {
  id: string
  state: AgreementState
  openedOn: string
  commitments: number
  reviews: number
}

export function proposeAgreementOpening(draw: Draw, day: string, n: number): Proposal<AgreementEvent> {
  const parties = draw.some(imposers, 2, 3)
  const kind = draw.pick(agreementKinds)
  return { event: { type: 'NegotiationsLaunched', data: { kind, title: `Generated ${kind} ${n} between ${parties.join(', ')}`, parties } }, occurredAt: day }
}

/**
 * Any agreement fact with plausible data; the decider refuses the ones that do not fit the agreement's status, and
 * the generator draws again. Cheaper than restating the decider's transition table here.
 */
export function proposeAgreementMove(draw: Draw, a: AgreementTrack, day: string, { measureIds }: Neighbours): Proposal<AgreementEvent> | undefined {
  if (a.state.status === 'none') return undefined
  const parties = a.state.parties
  const party = draw.pick(parties)
  const occurredAt = day < a.openedOn ? a.openedOn : day
  const reason = 'as reported'
  const events: (() => AgreementEvent)[] = [
    () => ({ type: 'TalksSuspended', data: { by: party, reason } }),
    () => ({ type: 'TalksResumed', data: {} }),
    () => ({ type: 'TalksTerminated', data: { reason } }),
    () => ({ type: 'PreliminaryArrangementAnnounced', data: { summary: 'first-step arrangement' } }),
    () => ({ type: 'AgreementConcluded', data: {} }),
    () => ({ type: 'AgreementSigned', data: {} }),
    () => ({ type: 'AgreementRatified', data: { party } }),
    () => ({ type: 'ProvisionalApplicationStarted', data: {} }),
    () => ({ type: 'AgreementEnteredIntoForce', data: {} }),
    () => ({ type: 'ReviewScheduled', data: { reviewId: `review-${a.reviews + 1}`, reviewDate: addDays(occurredAt, draw.int(30, 365)) } }),
    () => ({ type: 'ReviewStarted', data: {} }),
    () => ({ type: 'ReviewConcluded', data: { outcome: draw.pick(['extended', 'annual_reviews', 'no_change'] as const) } }),
    () => ({ type: 'AgreementAmended', data: { summary: 'schedule amended' } }),
    () => ({ type: 'AgreementSuspended', data: { reason } }),
    () => ({ type: 'AgreementReinstated', data: {} }),
    () => ({ type: 'WithdrawalNotified', data: { party } }),
    () => ({ type: 'AgreementTerminated', data: { reason: draw.pick(['withdrawal', 'superseded', 'mutual_consent'] as const) } }),
    () => {
      const linked = measureIds.length > 0 && draw.chance(0.5) ? { measureIds: draw.some(measureIds, 1, 2) } : {}
      const type = draw.pick(['tariff_cut', 'quota', 'suspension', 'visa', 'purchase'] as const)
      return {
        type: 'CommitmentRecorded',
        data: { commitmentId: `c-${a.commitments + 1}`, party, type, description: `${party} commits to a ${type}`, ...linked },
      }
    },
  ]
  const event = draw.pick(events)()
  // Talks and agreements mostly go on: an ending is one pick in four of the times it is drawn.
  if ((event.type === 'TalksTerminated' || event.type === 'AgreementTerminated') && !draw.chance(0.25)) return undefined
  return { event, occurredAt }
}
