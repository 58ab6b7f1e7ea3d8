import { z } from 'zod'

/**
 * Keyset pagination: a cursor is the sort key of the last item of a page, base64url JSON, opaque to clients. Keys
 * are unique, so a page never repeats or skips an item, even while the list grows.
 */
export const encodeCursor = (key: readonly (string | number)[]): string => Buffer.from(JSON.stringify(key)).toString('base64url')

/** A `cursor` query field whose value decodes to `key`, or a 400 naming `cursor`. */
export function cursorParam<K extends z.ZodType>(key: K) {
  return z
    .string()
    .max(1024)
    .transform((value, ctx) => {
      try {
        const decoded = key.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')))
        if (decoded.success) return decoded.data as z.output<K>
      } catch {}
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this list gave out' })
      return z.NEVER
    })
    .describe('opaque: the nextCursor of the previous page')
}

export const limitParam = (max = 200, fallback = 50) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback)

/** The answer shape of a list: one page of items and the cursor of the next, null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() })

/** Cuts the `limit + 1` rows fetched into a page; the extra row only says there is a next one. */
export function toPage<R, T>(rows: readonly R[], limit: number, keyOf: (row: R) => (string | number)[], toItem: (row: R) => T) {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return { items: page.map(toItem), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null }
}
