import { z } from 'zod'
import { isoDateSchema, setOf, slugSchema, textSchema } from '../primitives.js'
import { partyCodeSchema } from '../reference/countries.js'

const event = <T extends string, D extends z.ZodType>(type: T, data: D) => z.strictObject({ type: z.literal(type), data })

/** Kinds of agreement. `negotiation` is talks between parties without an agreement text (yet). */
export const agreementKinds = ['fta', 'customs_union', 'partnership', 'arrangement', 'mou', 'negotiation', 'framework'] as const
export type AgreementKind = (typeof agreementKinds)[number]

export const commitmentTypes = ['tariff_cut', 'quota', 'suspension', 'visa', 'purchase'] as const
export const reviewOutcomes = ['extended', 'annual_reviews', 'amendments_agreed', 'no_change', 'other'] as const
export const terminationReasons = ['withdrawal', 'superseded', 'expiry', 'mutual_consent', 'other'] as const

// Later steps may settle what a text turned out to be (talks ending in an arrangement, not an FTA).
const refinementShape = {
  kind: z.enum(agreementKinds).optional(),
  title: textSchema(200).optional(),
}

export const negotiationsLaunchedSchema = event(
  'NegotiationsLaunched',
  z.strictObject({
    kind: z.enum(agreementKinds),
    title: textSchema(200).describe('e.g. "United States–Mexico–Canada Agreement"'),
    parties: setOf(partyCodeSchema, 200).min(2).describe('every party, fixed for the life of the agreement'),
    objective: textSchema(1000).optional(),
  }),
)
export const talksSuspendedSchema = event('TalksSuspended', z.strictObject({ by: partyCodeSchema.optional(), reason: textSchema(1000) }))
export const talksResumedSchema = event('TalksResumed', z.strictObject({ note: textSchema(1000).optional().describe('e.g. "target: a deal by 21 July 2025"') }))
export const talksTerminatedSchema = event('TalksTerminated', z.strictObject({ by: partyCodeSchema.optional(), reason: textSchema(1000) }))
export const preliminaryArrangementAnnouncedSchema = event('PreliminaryArrangementAnnounced', z.strictObject({ summary: textSchema(2000), ...refinementShape }))
export const agreementConcludedSchema = event('AgreementConcluded', z.strictObject({ summary: textSchema(2000).optional(), ...refinementShape }))
export const agreementSignedSchema = event(
  'AgreementSigned',
  z.strictObject({ signatories: setOf(partyCodeSchema, 200).min(1).optional().describe('absent: all parties signed'), ...refinementShape }),
)
export const agreementRatifiedSchema = event('AgreementRatified', z.strictObject({ party: partyCodeSchema, instrument: textSchema(300).optional() }))
export const provisionalApplicationStartedSchema = event(
  'ProvisionalApplicationStarted',
  z.strictObject({ parties: setOf(partyCodeSchema, 200).min(1).optional().describe('absent: between all parties') }),
)
export const agreementEnteredIntoForceSchema = event('AgreementEnteredIntoForce', z.strictObject({ note: textSchema(1000).optional() }))
export const reviewScheduledSchema = event(
  'ReviewScheduled',
  z.strictObject({
    reviewId: slugSchema.describe('e.g. "2026-joint-review"'),
    reviewDate: isoDateSchema,
    commentDeadline: isoDateSchema.optional(),
    hearingDates: setOf(isoDateSchema, 20).optional(),
    recommendationsDue: isoDateSchema.optional(),
  }),
)
export const reviewStartedSchema = event('ReviewStarted', z.strictObject({ reviewId: slugSchema.optional() }))
export const reviewConcludedSchema = event(
  'ReviewConcluded',
  z.strictObject({
    outcome: z.enum(reviewOutcomes),
    extendedYears: z.number().int().min(1).max(100).optional(),
    summary: textSchema(2000).optional(),
  }),
)
export const agreementAmendedSchema = event('AgreementAmended', z.strictObject({ summary: textSchema(2000), amendmentId: slugSchema.optional() }))
export const agreementSuspendedSchema = event('AgreementSuspended', z.strictObject({ by: partyCodeSchema.optional(), reason: textSchema(1000) }))
export const agreementReinstatedSchema = event('AgreementReinstated', z.strictObject({ reason: textSchema(1000).optional() }))
export const withdrawalNotifiedSchema = event(
  'WithdrawalNotified',
  z.strictObject({ party: partyCodeSchema, effectiveOn: isoDateSchema.optional().describe('when the withdrawal takes effect, if stated') }),
)
export const agreementTerminatedSchema = event(
  'AgreementTerminated',
  z.strictObject({ reason: z.enum(terminationReasons), supersededBy: slugSchema.optional().describe('id of the agreement that replaces it') }),
)
export const commitmentRecordedSchema = event(
  'CommitmentRecorded',
  z.strictObject({
    commitmentId: slugSchema.describe('unique within the agreement, e.g. "ca-ev-quota"'),
    party: partyCodeSchema.describe('the party that commits'),
    type: z.enum(commitmentTypes),
    description: textSchema(2000),
    measureIds: setOf(slugSchema, 100).optional().describe('measures that implement it'),
    dueDate: isoDateSchema.optional(),
  }),
)

/** Every event of the agreement aggregate (stream `agreement-<id>`). */
export const agreementEventSchema = z.discriminatedUnion('type', [
  negotiationsLaunchedSchema,
  talksSuspendedSchema,
  talksResumedSchema,
  talksTerminatedSchema,
  preliminaryArrangementAnnouncedSchema,
  agreementConcludedSchema,
  agreementSignedSchema,
  agreementRatifiedSchema,
  provisionalApplicationStartedSchema,
  agreementEnteredIntoForceSchema,
  reviewScheduledSchema,
  reviewStartedSchema,
  reviewConcludedSchema,
  agreementAmendedSchema,
  agreementSuspendedSchema,
  agreementReinstatedSchema,
  withdrawalNotifiedSchema,
  agreementTerminatedSchema,
  commitmentRecordedSchema,
])
export type AgreementEvent = z.infer<typeof agreementEventSchema>
export type AgreementEventType = AgreementEvent['type']
/** The data of one agreement event type. */
export type AgreementEventData<T extends AgreementEventType> = Extract<AgreementEvent, { type: T }>['data']
