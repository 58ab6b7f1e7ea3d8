import type { z } from 'zod'
import { agreementEventSchema } from '../agreement/events.js'
import { measureEventSchema } from '../measure/events.js'
import type { AggregateType } from '../subjects.js'
import type { TradeEventType } from './trade-event.js'

/** What the system knows about one event type. */
export interface CatalogueEntry {
  aggregateType: AggregateType
  /** The current version of `data`; older versions are upcast on read. */
  schemaVersion: number
  /** Schema of the event's `data` at `schemaVersion`. */
  schema: z.ZodType
  description: string
}

export type EventCatalogue = Readonly<Record<TradeEventType, CatalogueEntry>>

const descriptions: Record<TradeEventType, string> = {
  MeasureThreatened: 'A government or leader said a measure would be imposed, possibly on a condition, without a legal text yet.',
  MeasureAnnounced: 'A measure was announced with its legal basis, scope and rate, and usually a planned date of effect.',
  MeasurePostponed: 'The planned entry into force of an announced or threatened measure was moved, or put off without a date.',
  MeasureEnteredIntoForce: 'The measure started to apply (envelope effectiveAt), possibly with customs collecting from a later date.',
  MeasureRateChanged: 'The rate of the measure itself changed, e.g. a provisional anti-dumping deposit replaced by the final duty.',
  MeasureScopeChanged: 'Products, tariff lines or target parties were added to or removed from the measure.',
  ExemptionGranted: 'Part of the scope (products, origins or goods meeting an origin rule) was spared or given a lower rate.',
  ExemptionRevoked: 'A previously granted exemption ended, so the measure applies to that scope again.',
  TariffRateQuotaSet: 'A tariff-rate quota was opened: a quantity per period at an in-quota rate, with another rate above it.',
  TariffRateQuotaChanged: 'Terms of an existing tariff-rate quota changed (quantity, period, rates, allocation or review date).',
  MeasureSuspended: 'The measure stopped applying for a while, until a date or until further notice, without being repealed.',
  MeasureReinstated: 'A suspended measure applies again.',
  MeasureRevoked: 'The measure was repealed, withdrawn, replaced or ended by a deal; it no longer applies.',
  MeasureExpired: 'The measure reached the end of its own term (a sunset) and no longer applies.',
  MeasureInvalidatedByCourt: 'A court held the measure unlawful, so it no longer applies.',
  MeasureLinked: 'The measure was linked to another measure or an agreement, e.g. as retaliation for it or as replacing it.',
  NegotiationsLaunched: 'Two or more parties opened talks, defining the agreement kind, title and parties.',
  TalksSuspended: 'Talks were broken off or paused by one or more parties.',
  TalksResumed: 'Suspended talks started again.',
  TalksTerminated: 'Talks were ended for good without an agreement.',
  PreliminaryArrangementAnnounced: 'The parties announced a preliminary or first-step arrangement ahead of a final text.',
  AgreementConcluded: 'Negotiations were concluded on a final text.',
  AgreementSigned: 'The agreement was signed by all parties, or by the listed signatories.',
  AgreementRatified: 'One party completed its ratification of the agreement.',
  ProvisionalApplicationStarted: 'The agreement started to apply provisionally, before full entry into force.',
  AgreementEnteredIntoForce: 'The agreement entered into force.',
  ReviewScheduled: 'A review of the agreement was scheduled, with its comment deadline, hearings and due dates.',
  ReviewStarted: 'A review of the agreement began.',
  ReviewConcluded: 'A review ended with an outcome such as an extension or a switch to annual reviews.',
  AgreementAmended: 'The agreement text was amended.',
  AgreementSuspended: 'The agreement, or its application by a party, was suspended.',
  AgreementReinstated: 'A suspended agreement applies again.',
  WithdrawalNotified: 'A party notified its withdrawal from the agreement.',
  AgreementTerminated: 'The agreement ended: by withdrawal, expiry, mutual consent or being superseded.',
  CommitmentRecorded: 'A party took on a commitment under the agreement (a tariff cut, quota, suspension, visa policy or purchase).',
}

/** Types whose `data` changed shape since version 1; each older version has an upcaster in `upcasters.ts`. */
const schemaVersions: Partial<Record<TradeEventType, number>> = {
  MeasureLinked: 2,
}

const entries = (aggregateType: AggregateType, schemas: readonly { shape: { type: { value: TradeEventType }; data: z.ZodType } }[]) =>
  schemas.map((schema) => {
    const type = schema.shape.type.value
    return [type, { aggregateType, schemaVersion: schemaVersions[type] ?? 1, schema: schema.shape.data, description: descriptions[type] }] as const
  })

/** Every event type with its aggregate, current schema version, `data` schema and a one-sentence description. */
export const eventCatalogue: EventCatalogue = Object.fromEntries([
  ...entries('measure', measureEventSchema.options),
  ...entries('agreement', agreementEventSchema.options),
]) as EventCatalogue

/** True if `type` names an event of the catalogue. */
export const isTradeEventType = (type: string): type is TradeEventType => Object.hasOwn(eventCatalogue, type)

/** The aggregate an event type belongs to (and so its stream prefix and subject token). */
export const aggregateTypeOf = (type: TradeEventType): AggregateType => eventCatalogue[type].aggregateType
