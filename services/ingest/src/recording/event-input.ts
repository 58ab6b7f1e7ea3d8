import { aggregateIdSchema, eventCatalogue, sourceSchema, tradeEventSchema, worldTimeSchema } from '@tradewatch/domain'
import { z } from 'zod'

const eventTypes = Object.keys(eventCatalogue) as [string, ...string[]]

/**
 * One fact as a producer submits it. The aggregate is named by `measureId` or `agreementId`
 * (whichever the type belongs to); `data` is checked against the catalogue for `type`.
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
    expectedVersion: z.number().int().min(0).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    correlationId: z.uuid().optional(),
    causationId: z.uuid().optional(),
  })
  .superRefine((input, ctx) => {
    const entry = eventCatalogue[input.type as keyof typeof eventCatalogue]
    if (!entry) return
    const idField = entry.aggregateType === 'measure' ? 'measureId' : 'agreementId'
    const otherField = idField === 'measureId' ? 'agreementId' : 'measureId'
    if (!input[idField]) ctx.addIssue({ code: 'custom', path: [idField], message: `required for ${input.type}` })
    if (input[otherField]) ctx.addIssue({ code: 'custom', path: [otherField], message: `not allowed for ${input.type} (a ${entry.aggregateType} event)` })
    const parsed = tradeEventSchema.safeParse({ type: input.type, data: input.data })
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message })
    }
  })
export type EventInput = z.infer<typeof eventInputSchema>
