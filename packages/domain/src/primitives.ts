import { z } from 'zod'
import { aggregateIdSchema } from './envelope.js'

/** A calendar date, YYYY-MM-DD. Dates inside event data are days; instants live on the envelope. */
export const isoDateSchema = z.iso.date()

/**
 * Why Postgres cannot store `text`, or undefined. JSON can carry both a NUL and a surrogate without
 * its pair (`"\u0000"`, `"\ud800"`): Postgres refuses the first in text and JSON, and UTF-8 cannot
 * encode the second (a parameter arrives as U+FFFD, JSON is refused).
 */
export const unstorableReason = (text: string): string | undefined =>
  text.includes('\u0000')
    ? 'holds a NUL character (\\u0000), which Postgres text cannot store'
    : !text.isWellFormed()
      ? 'holds a lone surrogate (\\uD800–\\uDFFF unpaired), which UTF-8 cannot store'
      : undefined

/** `schema`, refusing text Postgres cannot store (see unstorableReason). */
export const storable = <T extends z.ZodType<string>>(schema: T) =>
  schema.superRefine((text, ctx) => {
    const reason = unstorableReason(text)
    if (reason) ctx.addIssue({ code: 'custom', message: reason })
  })

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
