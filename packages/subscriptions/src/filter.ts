import { aggregateIdSchema, isKnownHsChapter, isTradeEventType, measureKinds, partyCodeSchema } from '@tradewatch/domain'
import { z } from 'zod'

/** A non-empty, bounded list: an empty list would silently match nothing, so it is refused. */
const listOf = <T extends z.ZodType>(item: T, max: number) => z.array(item).min(1, 'must list at least one value; leave the key out to match any').max(max)

/** An HS prefix of 2 to 10 digits (chapter … national tariff line) whose chapter exists. */
export const hsPrefixSchema = z
  .string()
  .regex(/^\d{2,10}$/, { message: 'must be 2 to 10 digits (an HS chapter, heading, subheading or tariff-line prefix)', abort: true })
  .refine(isKnownHsChapter, { message: 'does not start with a known HS chapter' })

export const rateDirections = ['increase', 'decrease', 'any'] as const
export type RateDirection = (typeof rateDirections)[number]

/**
 * What a subscription listens for. Every key is optional and narrows the match (AND across
 * keys, OR within a list); `{}` matches every event. Codes are checked against the domain's
 * reference data, and unknown keys are refused, so a typo never widens a filter.
 */
export const subscriptionFilterSchema = z.strictObject({
  /** Parties on either side: the imposer or a target of a measure, a party to an agreement. */
  countries: listOf(partyCodeSchema, 300).optional(),
  /** Who imposes the measure. */
  imposers: listOf(partyCodeSchema, 300).optional(),
  /** Targets of a measure (the origin of the goods). */
  origins: listOf(partyCodeSchema, 300).optional(),
  hs: listOf(hsPrefixSchema, 1000).optional(),
  measureKinds: listOf(z.enum(measureKinds), measureKinds.length).optional(),
  eventTypes: listOf(z.string().refine(isTradeEventType, { message: 'is not an event type of the catalogue' }), 200).optional(),
  agreementIds: listOf(aggregateIdSchema, 300).optional(),
  /** Parties to an agreement. */
  parties: listOf(partyCodeSchema, 300).optional(),
  /** Only rate changes of at least this many percentage points. */
  minRateChangePp: z.number().min(0).max(10_000).optional(),
  rateDirection: z.enum(rateDirections).optional(),
})
export type SubscriptionFilter = z.infer<typeof subscriptionFilterSchema>
