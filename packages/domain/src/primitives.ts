import { z } from 'zod'
import { aggregateIdPattern } from './subjects.js'

/** A calendar date, YYYY-MM-DD. Dates inside event data are days; instants live on the envelope. */
export const isoDateSchema = z.iso.date()

/** Bounded free text: trimmed of nothing, but never empty and never unbounded. */
export const textSchema = (max: number) => z.string().trim().min(1).max(max)

/** Ids of things inside an aggregate (exemptions, quotas, commitments) and of other aggregates: subject-safe slugs. */
export const slugSchema = z.string().regex(aggregateIdPattern, 'must be a lowercase slug: a-z, 0-9 and -, at most 100 characters')

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
