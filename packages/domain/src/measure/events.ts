import { z } from 'zod'
import { isoDateSchema, setOf, slugSchema, textSchema } from '../primitives.js'
import { partyCodeSchema } from '../reference/countries.js'
import { aggregateTypes } from '../subjects.js'
import {
  directions,
  exemptionScopeShape,
  legalBasisSchema,
  measureKinds,
  optionalRateSchema,
  productsSchema,
  quotaPeriods,
  rateSchema,
  targetsSchema,
  tariffLinesSchema,
} from './fields.js'

const event = <T extends string, D extends z.ZodType>(type: T, data: D) => z.strictObject({ type: z.literal(type), data })

/** Fields shared by a threat and an announcement: what the measure is, who imposes it on whom, on what, at what rate. */
const definitionShape = {
  announcementId: slugSchema.optional().describe('groups the measures of one announcement (a GTA state act)'),
  kind: z.enum(measureKinds),
  title: textSchema(200).describe('short human name, e.g. "Surtax on Chinese electric vehicles"'),
  imposer: partyCodeSchema,
  targets: targetsSchema,
  products: productsSchema.describe('HS codes; empty when the source names none'),
  tariffLines: tariffLinesSchema.optional().describe("national lines (8-10 digits) in the imposer's schedule"),
  productText: textSchema(2000).describe('the product scope in words, as the source gives it'),
  rate: optionalRateSchema,
  direction: z.enum(directions),
  plannedEffectiveAt: isoDateSchema.optional().describe('when it is due to take effect, if announced ahead'),
}

export const statementKinds = ['social_post', 'speech', 'interview', 'press_conference', 'official_statement', 'letter'] as const

export const revocationReasons = ['repealed', 'sunset', 'replaced', 'court_invalidated', 'deal', 'withdrawn'] as const
export type RevocationReason = (typeof revocationReasons)[number]

export const refundStatuses = ['none', 'pending', 'ordered', 'unknown'] as const

export const linkRelations = ['retaliation_for', 'counter_to', 'replaces', 'implements_commitment', 'part_of_thread'] as const
export type LinkRelation = (typeof linkRelations)[number]

export const measureThreatenedSchema = event(
  'MeasureThreatened',
  z.strictObject({
    ...definitionShape,
    legalBasis: legalBasisSchema.optional(),
    condition: textSchema(500).optional().describe('e.g. "if Canada makes a deal with China"'),
    statement: z.enum(statementKinds).optional(),
  }),
)

export const measureAnnouncedSchema = event('MeasureAnnounced', z.strictObject({ ...definitionShape, legalBasis: legalBasisSchema }))

export const measurePostponedSchema = event(
  'MeasurePostponed',
  z.strictObject({
    newPlannedEffectiveAt: isoDateSchema.nullable().describe('null when postponed without a new date'),
    reason: textSchema(500).optional(),
  }),
)

export const measureEnteredIntoForceSchema = event(
  'MeasureEnteredIntoForce',
  z.strictObject({
    collectionStartAt: isoDateSchema.optional().describe('when customs starts collecting, if later than the legal effect (envelope effectiveAt)'),
  }),
)

export const measureRateChangedSchema = event(
  'MeasureRateChanged',
  z.strictObject({
    before: optionalRateSchema.optional().describe('the rate the producer believes applies; must match the current rate when given'),
    after: optionalRateSchema,
    reason: textSchema(500).optional(),
  }),
)

export const measureScopeChangedSchema = event(
  'MeasureScopeChanged',
  z
    .strictObject({
      addedProducts: productsSchema.optional(),
      removedProducts: productsSchema.optional(),
      addedTariffLines: tariffLinesSchema.optional(),
      removedTariffLines: tariffLinesSchema.optional(),
      addedTargets: setOf(partyCodeSchema, 300).optional(),
      removedTargets: setOf(partyCodeSchema, 300).optional(),
      productText: textSchema(2000).optional().describe('the new product scope in words, if it changed'),
    })
    .refine((d) => Object.values(d).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0)), {
      message: 'must change at least one of products, tariff lines, targets or product text',
    }),
)

export const exemptionGrantedSchema = event(
  'ExemptionGranted',
  z
    .strictObject({
      exemptionId: slugSchema.describe('unique within the measure, e.g. "usmca-qualifying"'),
      ...exemptionScopeShape,
      rateWithin: optionalRateSchema.optional().describe('the rate that applies inside the exemption instead (e.g. 10% on energy); absent means none'),
      until: isoDateSchema.optional().describe('exclusive end; starts at the envelope effectiveAt'),
      description: textSchema(1000).optional(),
    })
    .refine((d) => Boolean(d.products?.length || d.tariffLines?.length || d.origins?.length || d.originRule), {
      message: 'must scope the exemption by products, tariff lines, origins or an origin rule',
    }),
)

export const exemptionRevokedSchema = event('ExemptionRevoked', z.strictObject({ exemptionId: slugSchema, reason: textSchema(500).optional() }))

const quotaTermsShape = {
  quantity: z.number().positive().max(1e15),
  unit: textSchema(40).describe('UN/CEFACT Rec. 20 code or a plain unit, e.g. "NAR" (vehicles), "TNE"'),
  period: z.enum(quotaPeriods),
  inQuotaRate: rateSchema,
  outQuotaRate: optionalRateSchema.describe("null: the measure's own rate applies above the quota"),
  allocation: textSchema(500).optional().describe('how the quota is shared out, e.g. first come first served, licences'),
  reviewAt: isoDateSchema.optional(),
}

export const tariffRateQuotaSetSchema = event(
  'TariffRateQuotaSet',
  z.strictObject({ quotaId: slugSchema, ...quotaTermsShape, products: productsSchema.optional(), origins: setOf(partyCodeSchema, 300).optional() }),
)

export const tariffRateQuotaChangedSchema = event(
  'TariffRateQuotaChanged',
  z
    .strictObject({
      quotaId: slugSchema,
      quantity: quotaTermsShape.quantity.optional(),
      unit: quotaTermsShape.unit.optional(),
      period: quotaTermsShape.period.optional(),
      inQuotaRate: quotaTermsShape.inQuotaRate.optional(),
      outQuotaRate: quotaTermsShape.outQuotaRate.optional(),
      allocation: quotaTermsShape.allocation,
      reviewAt: quotaTermsShape.reviewAt,
    })
    .refine((d) => Object.keys(d).some((k) => k !== 'quotaId' && d[k as keyof typeof d] !== undefined), { message: 'must change at least one term' }),
)

export const measureSuspendedSchema = event(
  'MeasureSuspended',
  z.strictObject({
    until: isoDateSchema.optional().describe('exclusive end: the first day it applies again; absent when open-ended. Starts at the envelope effectiveAt'),
    reason: textSchema(500),
  }),
)

export const measureReinstatedSchema = event('MeasureReinstated', z.strictObject({ reason: textSchema(500).optional() }))

export const measureRevokedSchema = event(
  'MeasureRevoked',
  z.strictObject({
    reason: z.enum(revocationReasons),
    replacedBy: slugSchema.optional().describe('id of the measure that replaces this one'),
    note: textSchema(1000).optional(),
  }),
)

export const measureExpiredSchema = event('MeasureExpired', z.strictObject({ note: textSchema(1000).optional() }))

export const measureInvalidatedByCourtSchema = event(
  'MeasureInvalidatedByCourt',
  z.strictObject({
    court: textSchema(200),
    caseName: textSchema(300).optional(),
    caseNumber: textSchema(100).optional(),
    collectionStopsAt: isoDateSchema.optional(),
    refundStatus: z.enum(refundStatuses).optional(),
  }),
)

/**
 * What a link points at, named as a stream (aggregate type and id). Version 1 had two exclusive optional fields,
 * `otherMeasureId` and `agreementId`; a reference says what the other end is in one place and lets new aggregates
 * (trade-remedy cases, sources) be linked without another field each.
 */
export const linkTargetSchema = z.strictObject({
  aggregateType: z.enum(aggregateTypes).describe('what the other end is'),
  id: slugSchema.describe('its aggregate id, e.g. "ca-cn-2026-arrangement"'),
})
export type LinkTarget = z.infer<typeof linkTargetSchema>

export const measureLinkedSchema = event(
  'MeasureLinked',
  z.strictObject({
    relation: z.enum(linkRelations),
    target: linkTargetSchema.describe('the other end, as a stream; v1 had `otherMeasureId` or `agreementId` instead'),
    note: textSchema(500).optional(),
  }),
)

/** Every event of the measure aggregate (stream `measure-<id>`). */
export const measureEventSchema = z.discriminatedUnion('type', [
  measureThreatenedSchema,
  measureAnnouncedSchema,
  measurePostponedSchema,
  measureEnteredIntoForceSchema,
  measureRateChangedSchema,
  measureScopeChangedSchema,
  exemptionGrantedSchema,
  exemptionRevokedSchema,
  tariffRateQuotaSetSchema,
  tariffRateQuotaChangedSchema,
  measureSuspendedSchema,
  measureReinstatedSchema,
  measureRevokedSchema,
  measureExpiredSchema,
  measureInvalidatedByCourtSchema,
  measureLinkedSchema,
])
export type MeasureEvent = z.infer<typeof measureEventSchema>
export type MeasureEventType = MeasureEvent['type']
/** The data of one measure event type. */
export type MeasureEventData<T extends MeasureEventType> = Extract<MeasureEvent, { type: T }>['data']
