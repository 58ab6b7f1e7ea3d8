import { z } from 'zod'
import { aggregateIdPattern, aggregateTypes } from './subjects.js'

/** A calendar date (YYYY-MM-DD) or an ISO 8601 instant with offset. World time. */
export const worldTimeSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })])

export const sourceKinds = ['official_gazette', 'government_release', 'court', 'customs_message', 'news', 'law_firm', 'database', 'other'] as const

/** Where we learnt a fact. Every event carries one. */
export const sourceSchema = z.strictObject({
  kind: z.enum(sourceKinds).default('news'),
  url: z.url({ protocol: /^https?$/ }).max(2048),
  title: z.string().min(1).max(500),
  publisher: z.string().min(1).max(200).optional(),
  publishedAt: worldTimeSchema.optional(),
  /** Verbatim sentence from the source that backs the event, when we have one. */
  quote: z.string().max(2000).optional(),
})
export type Source = z.infer<typeof sourceSchema>

/** The envelope fields a producer supplies; the store fills the rest. */
export const eventMetadataSchema = z.strictObject({
  /** When it happened in the world (announcement, signature, entry into force…). */
  occurredAt: worldTimeSchema,
  /** When it takes effect, if different from occurredAt. */
  effectiveAt: worldTimeSchema.nullable().default(null),
  source: sourceSchema,
  correlationId: z.uuid(),
  causationId: z.uuid().nullable().default(null),
})
export type EventMetadata = z.infer<typeof eventMetadataSchema>

export const aggregateIdSchema = z.string().regex(aggregateIdPattern, 'must be a lowercase slug: a-z, 0-9 and -, at most 100 characters')

/**
 * The envelope as it travels on JetStream and as consumers see it. `data` is validated
 * against the event catalogue by `parseEnvelope` (which also upcasts old schema versions).
 */
export const envelopeSchema = z.strictObject({
  id: z.uuid(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  aggregateType: z.enum(aggregateTypes),
  aggregateId: aggregateIdSchema,
  aggregateVersion: z.number().int().positive(),
  /** Global position in the event store: gapless, in commit order, equal to the JetStream sequence. */
  position: z.number().int().positive(),
  occurredAt: worldTimeSchema,
  effectiveAt: worldTimeSchema.nullable(),
  /** When we learnt it: knowledge time for bitemporal queries. */
  recordedAt: z.iso.datetime({ offset: true }),
  source: sourceSchema,
  correlationId: z.uuid(),
  causationId: z.uuid().nullable(),
  data: z.unknown(),
})
export type RawEnvelope = z.infer<typeof envelopeSchema>
