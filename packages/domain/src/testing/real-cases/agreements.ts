import type { AgreementEvent } from '../../agreement/events.js'
import type { LiveAgreementState } from '../../agreement/state.js'
import { agreementEvent as e } from '../agreement-fixtures.js'

/** A real agreement or set of talks from shared/data/trade-timeline.json, encoded as events. */
export interface RealAgreementCase {
  agreementId: string
  timelineIds: string[]
  events: AgreementEvent[]
  expected: Partial<LiveAgreementState>
}

export const realAgreementCases: RealAgreementCase[] = [
  {
    agreementId: 'usmca',
    timelineIds: ['2018-11-30-us-mx-ca-usmca-signed', '2020-07-01-us-mx-ca-usmca-in-force', '2025-09-17-us-mx-ca-usmca-joint-review'],
    events: [
      e('NegotiationsLaunched', { kind: 'fta', title: 'United States–Mexico–Canada Agreement', parties: ['US', 'MX', 'CA'], objective: 'renegotiate NAFTA' }),
      e('AgreementSigned', {}),
      e('AgreementRatified', { party: 'MX' }),
      e('AgreementRatified', { party: 'US' }),
      e('AgreementRatified', { party: 'CA' }),
      e('AgreementEnteredIntoForce', {}),
      e('ReviewScheduled', { reviewId: '2026-joint-review', reviewDate: '2026-07-01', commentDeadline: '2025-11-03' }),
    ],
    expected: {
      status: 'in_force',
      ratifiedBy: ['MX', 'US', 'CA'],
      nextReview: { reviewId: '2026-joint-review', reviewDate: '2026-07-01', commentDeadline: '2025-11-03' },
    },
  },
  {
    agreementId: 'us-ca-trade-talks-2025',
    timelineIds: ['2025-06-27-us-ca-talks-ended-dst', '2025-06-29-ca-us-talks-resume', '2025-10-23-us-ca-talks-ended-ad'],
    events: [
      e('NegotiationsLaunched', { kind: 'negotiation', title: 'US–Canada trade and security talks', parties: ['US', 'CA'] }),
      e('TalksSuspended', { by: 'US', reason: "Canada's digital services tax" }),
      e('TalksResumed', { note: 'Canada dropped the digital services tax; target: a deal by 21 July 2025' }),
      e('TalksSuspended', { by: 'US', reason: 'Ontario anti-tariff television advertisement' }),
    ],
    expected: { status: 'talks_suspended', kind: 'negotiation', statusBeforeTalksSuspended: 'negotiating' },
  },
  {
    agreementId: 'us-cn-phase-one',
    timelineIds: ['2020-01-15-us-cn-phase-one'],
    events: [
      e('NegotiationsLaunched', { kind: 'negotiation', title: 'US–China trade talks', parties: ['US', 'CN'] }),
      e('AgreementSigned', { kind: 'arrangement', title: 'Economic and Trade Agreement (Phase One)' }),
      e('CommitmentRecorded', { commitmentId: 'cn-purchases', party: 'CN', type: 'purchase', description: 'additional purchases of US goods and services' }),
    ],
    expected: { status: 'signed', kind: 'arrangement', title: 'Economic and Trade Agreement (Phase One)' },
  },
  {
    agreementId: 'ca-cn-2026-arrangement',
    timelineIds: ['2026-01-16-ca-cn-beijing-arrangement', '2026-01-16-ca-cn-ev-quota', '2026-02-15-cn-ca-gb-visa-free'],
    events: [
      e('NegotiationsLaunched', { kind: 'negotiation', title: 'Canada–China trade talks', parties: ['CA', 'CN'] }),
      e('PreliminaryArrangementAnnounced', {
        summary: 'EV quota for Canada in return for relief on Chinese tariffs on Canadian farm goods',
        kind: 'arrangement',
      }),
      e('CommitmentRecorded', {
        commitmentId: 'ca-ev-quota',
        party: 'CA',
        type: 'quota',
        description: 'up to 49,000 Chinese EVs a year at 6.1%',
        measureIds: ['ca-cn-ev-surtax'],
      }),
      e('CommitmentRecorded', {
        commitmentId: 'cn-canola-seed',
        party: 'CN',
        type: 'tariff_cut',
        description: 'combined duty on canola seed of about 15%',
        measureIds: ['cn-ca-canola-ad'],
        dueDate: '2026-03-01',
      }),
      e('CommitmentRecorded', {
        commitmentId: 'cn-visa-free',
        party: 'CN',
        type: 'visa',
        description: 'visa-free travel for Canadians',
        measureIds: ['cn-ca-gb-visa-free-2026'],
      }),
    ],
    expected: { status: 'preliminary', kind: 'arrangement', parties: ['CA', 'CN'] },
  },
]
