import { describe, expect, it } from 'vitest'
import type { DomainErrorCode } from '../errors/codes.js'
import {
  agreementEvent,
  agreementInForce,
  agreementReinstated,
  agreementSpec,
  agreementSuspended,
  amended,
  commitment,
  concluded,
  launched,
  preliminary,
  provisional,
  ratified,
  reviewConcluded,
  reviewScheduled,
  reviewStarted,
  signed,
  talksResumed,
  talksSuspended,
  talksTerminated,
  terminated,
  withdrawal,
} from '../testing/agreement-fixtures.js'
import type { AgreementEvent } from './events.js'
import type { LiveAgreementState } from './state.js'

const live = (state: unknown) => state as LiveAgreementState
const inForceHistory = [launched(), signed, agreementInForce]

describe('decideAgreement: lifecycle transitions', () => {
  it('launches negotiations, defining kind, title and parties', () => {
    expect(live(agreementSpec.given([]).when(launched()).then([launched()]))).toMatchObject({
      status: 'negotiating',
      kind: 'fta',
      parties: ['US', 'MX', 'CA'],
    })
  })
  it.each([
    ['negotiating', [launched()], 'negotiating'],
    ['after a preliminary arrangement', [launched(), preliminary], 'preliminary'],
    ['after conclusion', [launched(), concluded], 'concluded'],
  ])('suspends talks %s and resumes them where they were', (_, given, before) => {
    expect(agreementSpec.given(given).when(talksSuspended).then([talksSuspended]).status).toBe('talks_suspended')
    expect(
      agreementSpec
        .given([...given, talksSuspended])
        .when(talksResumed)
        .then([talksResumed]).status,
    ).toBe(before)
  })
  it.each([
    ['negotiating', [launched()]],
    ['suspended', [launched(), talksSuspended]],
    ['preliminary', [launched(), preliminary]],
  ])('terminates %s talks', (_, given) => {
    expect(agreementSpec.given(given).when(talksTerminated).then([talksTerminated]).status).toBe('talks_terminated')
  })
  it('announces a preliminary arrangement, refining the kind', () => {
    const arrangement = agreementEvent('PreliminaryArrangementAnnounced', { summary: 'EV quota for farm tariff relief', kind: 'arrangement' })
    expect(
      live(
        agreementSpec
          .given([launched({ kind: 'negotiation' })])
          .when(arrangement)
          .then([arrangement]),
      ),
    ).toMatchObject({
      status: 'preliminary',
      kind: 'arrangement',
    })
  })
  it('records a second preliminary step', () => {
    expect(agreementSpec.given([launched(), preliminary]).when(preliminary).then([preliminary]).status).toBe('preliminary')
  })
  it.each([
    ['negotiating', [launched()]],
    ['preliminary', [launched(), preliminary]],
  ])('concludes %s talks', (_, given) => {
    expect(agreementSpec.given(given).when(concluded).then([concluded]).status).toBe('concluded')
  })
  it.each([
    ['negotiating', [launched()]],
    ['preliminary', [launched(), preliminary]],
    ['concluded', [launched(), concluded]],
  ])('signs a %s agreement, by all parties unless listed', (_, given) => {
    expect(live(agreementSpec.given(given).when(signed).then([signed])).signatories).toEqual(['US', 'MX', 'CA'])
  })
  it('ratifies per party and becomes ratified when every party has', () => {
    expect(
      live(
        agreementSpec
          .given([launched(), signed])
          .when(ratified('MX'))
          .then([ratified('MX')]),
      ),
    ).toMatchObject({ status: 'signed', ratifiedBy: ['MX'] })
    const all = live(
      agreementSpec
        .given([launched(), signed, ratified('MX'), ratified('US')])
        .when(ratified('CA'))
        .then([ratified('CA')]),
    )
    expect(all).toMatchObject({ status: 'ratified', ratifiedBy: ['MX', 'US', 'CA'] })
  })
  it('records ratifications during provisional application without leaving it', () => {
    expect(
      agreementSpec
        .given([launched(), signed, provisional])
        .when(ratified('CA'))
        .then([ratified('CA')]).status,
    ).toBe('provisionally_applied')
  })
  it.each([
    ['signed', [launched(), signed]],
    ['ratified', [launched({ parties: ['CA', 'CN'] }), signed, ratified('CA'), ratified('CN')]],
  ])('starts provisional application of a %s agreement', (_, given) => {
    expect(agreementSpec.given(given).when(provisional).then([provisional]).status).toBe('provisionally_applied')
  })
  it.each([
    ['signed', [launched(), signed]],
    ['ratified', [launched({ parties: ['CA', 'CN'] }), signed, ratified('CA'), ratified('CN')]],
    ['provisionally applied', [launched(), signed, provisional]],
  ])('puts a %s agreement in force', (_, given) => {
    expect(agreementSpec.given(given).when(agreementInForce).then([agreementInForce]).status).toBe('in_force')
  })
  it('schedules, starts and concludes a review, returning to in force', () => {
    expect(live(agreementSpec.given(inForceHistory).when(reviewScheduled).then([reviewScheduled])).nextReview).toEqual(reviewScheduled.data)
    expect(
      agreementSpec
        .given([...inForceHistory, reviewScheduled])
        .when(reviewStarted)
        .then([reviewStarted]).status,
    ).toBe('under_review')
    const after = live(
      agreementSpec
        .given([...inForceHistory, reviewScheduled, reviewStarted])
        .when(reviewConcluded)
        .then([reviewConcluded]),
    )
    expect(after).toMatchObject({ status: 'in_force', nextReview: null })
  })
  it('returns a review of a provisionally applied agreement to provisional application', () => {
    const given = [launched(), signed, provisional, reviewStarted]
    expect(agreementSpec.given(given).when(reviewConcluded).then([reviewConcluded]).status).toBe('provisionally_applied')
  })
  it.each([
    ['signed', [launched(), signed]],
    ['in force', inForceHistory],
    ['under review', [...inForceHistory, reviewStarted]],
  ])('amends a %s agreement', (_, given) => {
    expect(live(agreementSpec.given(given).when(amended).then([amended])).amendments).toBe(1)
  })
  it('suspends an agreement under review and reinstates it to the review', () => {
    const given = [...inForceHistory, reviewStarted]
    expect(agreementSpec.given(given).when(agreementSuspended).then([agreementSuspended]).status).toBe('suspended')
    expect(
      agreementSpec
        .given([...given, agreementSuspended])
        .when(agreementReinstated)
        .then([agreementReinstated]).status,
    ).toBe('under_review')
  })
  it('records a withdrawal notice without ending the agreement', () => {
    expect(
      live(
        agreementSpec
          .given(inForceHistory)
          .when(withdrawal('US'))
          .then([withdrawal('US')]),
      ),
    ).toMatchObject({
      status: 'in_force',
      withdrawals: [{ party: 'US', effectiveOn: null }],
    })
  })
  it.each([
    ['signed', [launched(), signed]],
    ['in force', inForceHistory],
    ['suspended', [...inForceHistory, agreementSuspended]],
  ])('terminates a %s agreement', (_, given) => {
    expect(live(agreementSpec.given(given).when(terminated).then([terminated]))).toMatchObject({ status: 'terminated', ending: { reason: 'withdrawal' } })
  })
  it('records a commitment linked to measures, replacing none', () => {
    const quota = commitment({ measureIds: ['ca-cn-ev-quota'], dueDate: '2026-03-01' })
    expect(
      live(
        agreementSpec
          .given([launched({ parties: ['CA', 'CN'] }), preliminary])
          .when(quota)
          .then([quota]),
      ).commitments,
    ).toEqual([{ ...quota.data, measureIds: ['ca-cn-ev-quota'], dueDate: '2026-03-01' }])
  })
})

describe('decideAgreement: no-ops', () => {
  const cases: [string, AgreementEvent[], AgreementEvent][] = [
    ['suspending suspended talks', [launched(), talksSuspended], talksSuspended],
    ['resuming talks that go on', [launched()], talksResumed],
    ['concluding twice', [launched(), concluded], concluded],
    ['signing twice', [launched(), signed], signed],
    ['a party ratifying twice', [launched(), signed, ratified('CA')], ratified('CA')],
    ['starting provisional application twice', [launched(), signed, provisional], provisional],
    ['entering into force twice', inForceHistory, agreementInForce],
    ['scheduling the same review', [...inForceHistory, reviewScheduled], reviewScheduled],
    ['starting a review under way', [...inForceHistory, reviewStarted], reviewStarted],
    ['suspending a suspended agreement', [...inForceHistory, agreementSuspended], agreementSuspended],
    ['reinstating an agreement in force', inForceHistory, agreementReinstated],
    ['a party notifying withdrawal twice', [...inForceHistory, withdrawal('US')], withdrawal('US')],
    ['an identical commitment', [launched({ parties: ['CA', 'CN'] }), commitment()], commitment()],
    ['terminating a terminated agreement', [...inForceHistory, terminated], terminated],
    ['terminating terminated talks', [launched(), talksTerminated], talksTerminated],
  ]
  it.each(cases)('records nothing for %s', (_, given, when) => {
    agreementSpec.given(given).when(when).then([])
  })
})

describe('decideAgreement: domain errors', () => {
  const cases: [string, AgreementEvent[], AgreementEvent, DomainErrorCode][] = [
    ['signing an agreement never opened', [], signed, 'AGREEMENT_NOT_STARTED'],
    ['suspending talks never opened', [], talksSuspended, 'AGREEMENT_NOT_STARTED'],
    ['launching twice', [launched()], launched(), 'AGREEMENT_ALREADY_STARTED'],
    ['signing a terminated agreement', [...inForceHistory, terminated], signed, 'AGREEMENT_TERMINATED'],
    ['resuming terminated talks', [launched(), talksTerminated], talksResumed, 'AGREEMENT_TERMINATED'],
    ['relaunching terminated talks', [launched(), talksTerminated], launched(), 'AGREEMENT_TERMINATED'],
    ['suspending talks on an agreement in force', inForceHistory, talksSuspended, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['resuming talks on a signed agreement', [launched(), signed], talksResumed, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['terminating talks of a signed agreement', [launched(), signed], talksTerminated, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['a preliminary arrangement while talks are suspended', [launched(), talksSuspended], preliminary, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['concluding a signed agreement', [launched(), signed], concluded, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['signing while talks are suspended', [launched(), talksSuspended], signed, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['signing an agreement in force', inForceHistory, signed, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['ratifying before signature', [launched()], ratified('CA'), 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['provisional application before signature', [launched()], provisional, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['entry into force of a negotiation', [launched()], agreementInForce, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['scheduling a review of an unsigned text', [launched()], reviewScheduled, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['starting a review before entry into force', [launched(), signed], reviewStarted, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['concluding a review never started', inForceHistory, reviewConcluded, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['amending a negotiation', [launched()], amended, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['suspending a signed agreement not in force', [launched(), signed], agreementSuspended, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['reinstating a signed agreement', [launched(), signed], agreementReinstated, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['withdrawal from an agreement not in force', [launched(), signed], withdrawal('US'), 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['terminating a negotiation (use TalksTerminated)', [launched()], terminated, 'ILLEGAL_AGREEMENT_TRANSITION'],
    ['ratification by a non-party', [launched(), signed], ratified('CN'), 'PARTY_NOT_IN_AGREEMENT'],
    ['signature by a non-party', [launched()], agreementEvent('AgreementSigned', { signatories: ['US', 'GB'] }), 'PARTY_NOT_IN_AGREEMENT'],
    ['talks suspended by a non-party', [launched()], agreementEvent('TalksSuspended', { by: 'CN', reason: 'x' }), 'PARTY_NOT_IN_AGREEMENT'],
    ['talks terminated by a non-party', [launched()], agreementEvent('TalksTerminated', { by: 'CN', reason: 'x' }), 'PARTY_NOT_IN_AGREEMENT'],
    [
      'provisional application between non-parties',
      [launched(), signed],
      agreementEvent('ProvisionalApplicationStarted', { parties: ['JP'] }),
      'PARTY_NOT_IN_AGREEMENT',
    ],
    ['suspension by a non-party', inForceHistory, agreementEvent('AgreementSuspended', { by: 'CN', reason: 'x' }), 'PARTY_NOT_IN_AGREEMENT'],
    ['withdrawal of a non-party', inForceHistory, withdrawal('CN'), 'PARTY_NOT_IN_AGREEMENT'],
    ['a commitment by a non-party', [launched()], commitment({ party: 'CN' }), 'PARTY_NOT_IN_AGREEMENT'],
    ['a commitment id reused with other terms', [launched(), commitment()], commitment({ description: 'another' }), 'COMMITMENT_CONFLICT'],
  ]
  it.each(cases)('refuses %s', (_, given, when, code) => {
    agreementSpec.given(given).when(when).thenThrows(code)
  })

  it('says what was expected and what was found', () => {
    const error = agreementSpec.given([launched()]).when(ratified('CN')).thenThrows('PARTY_NOT_IN_AGREEMENT')
    expect(error.message).toBe('Cannot record AgreementRatified: expected parties among US, MX, CA, found CN')
    expect(error.details).toMatchObject({ outsiders: ['CN'] })
  })
})
