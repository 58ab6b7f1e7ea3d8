import { type HsEntry, hsChapters, hsEntry } from '@tradewatch/domain'

const twoDigits = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'))

let entries: readonly HsEntry[] | undefined

/**
 * Every HS 2022 chapter, heading and subheading, in code order. The domain package offers look-up by code and the
 * chapters, so the rest is found by asking for each possible two-digit extension (about 130,000 look-ups, once).
 */
export function hsIndex(): readonly HsEntry[] {
  if (entries) return entries
  const found: HsEntry[] = []
  const descend = (entry: HsEntry) => {
    found.push(entry)
    if (entry.level === 6) return
    for (const digits of twoDigits) {
      const child = hsEntry(entry.code + digits)
      if (child) descend(child)
    }
  }
  for (const chapter of hsChapters()) descend(chapter)
  entries = found
  return entries
}
