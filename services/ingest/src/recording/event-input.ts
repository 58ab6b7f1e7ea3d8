import {
  aggregateIdSchema,
  eventCatalogue,
  InvalidEventError,
  sourceSchema,
  type TradeEventType,
  tradeEventSchema,
  upcastData,
  worldTimeSchema,
} from '@tradewatch/domain'
import { z } from 'zod'
import { unstorableText } from './unstorable-text.js'

const eventTypes = Object.keys(eventCatalogue) as [string, ...string[]]

/**
 * One fact as a producer submits it. The aggregate is named by `measureId` or `agreementId`
 * (whichever the type belongs to); `data` is checked against the catalogue for `type`. A producer
 * pinned to an older `schemaVersion` of `data` is upcast here, so only current versions are stored.
 */
export const eventInputSchema = z
  .strictObject({
    type: z.enum(eventTypes),
    measureId: aggregateIdSchema.optional(),
    agreementId: aggregateIdSchema.optional(),
    occurredAt: worldTimeSchema,
    effectiveAt: worldTimeSchema.nullable().optional(),
    source: sourceSchema,
    data: z.unknown(),
    schemaVersion: z.number().int().positive().optional().describe('the version `data` is written in; default the current one'),
    expectedVersion: z.number().int().min(0).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    correlationId: z.uuid().optional(),
    causationId: z.uuid().optional(),
  })
  .superRefine((input, ctx) => {
    for (const { path, reason } of unstorableText(input)) ctx.addIssue({ code: 'custom', path, message: reason })
    const entry = eventCatalogue[input.type as keyof typeof eventCatalogue]
    if (!entry) return
    const idField = entry.aggregateType === 'measure' ? 'measureId' : 'agreementId'
    const otherField = idField === 'measureId' ? 'agreementId' : 'measureId'
    if (!input[idField]) ctx.addIssue({ code: 'custom', path: [idField], message: `required for ${input.type}` })
    if (input[otherField]) ctx.addIssue({ code: 'custom', path: [otherField], message: `not allowed for ${input.type} (a ${entry.aggregateType} event)` })
    let data: unknown
    try {
      data = currentData(input)
    } catch (err) {
      if (!(err instanceof InvalidEventError)) throw err
      for (const issue of err.issues) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message })
      return
    }
    const parsed = tradeEventSchema.safeParse({ type: input.type, data })
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message })
    }
  })
  // Idempotency fingerprints and deciders see current-version data, whatever version was sent.
  // Set in place: zod built this object, and a spread copy of every input cost more than the set.
  .transform((input) => {
    input.data = currentData(input)
    return input
  })
export type EventInput = z.output<typeof eventInputSchema>

const currentData = (input: { type: string; data: unknown; schemaVersion?: number | undefined }) =>
  input.schemaVersion === undefined ? input.data : upcastData(input.type as TradeEventType, input.schemaVersion, input.data)
