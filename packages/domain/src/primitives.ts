import { z } from 'zod'
import { aggregateIdSchema } from './envelope.js'

/** A calendar date, YYYY-MM-DD. Dates inside event data are days; instants live on the envelope. */
export const isoDateSchema = z.iso.date()

/** Bounded free text: trimmed, never empty, never unbounded. */
export const textSchema = (max: number) => z.string().trim().min(1).max(max)

/** Ids of things inside an aggregate (exemptions, quotas, commitments) and of other aggregates: subject-safe slugs. */
export const slugSchema = aggregateIdSchema

/** An array of at most `max` items with no duplicates (compared as JSON), so sets stay sets. */
export const setOf = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .superRefine((items, ctx) => {
      const seen = new Set<string>()
      items.forEach((value, index) => {
        const key = JSON.stringify(value)
        if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `duplicate value ${key}`, path: [index] })
        seen.add(key)
      })
    })
