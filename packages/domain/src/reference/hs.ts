import { readFileSync } from 'node:fs'
import { z } from 'zod'

/** HS editions a product code may be tagged with. Only HS 2022 is shipped in full. */
export const hsNomenclatures = ['HS2012', 'HS2017', 'HS2022'] as const
export type HsNomenclature = (typeof hsNomenclatures)[number]

/** One HS 2022 heading: chapter (2 digits), heading (4) or subheading (6). */
export interface HsEntry {
  code: string
  description: string
  level: 2 | 4 | 6
  /** The code one level up; null for chapters. */
  parent: string | null
  /** Roman numeral of the HS section, e.g. `XVII`; `TOTAL` for chapter 99. */
  section: string
}

export interface HsSection {
  section: string
  name: string
}

// Both src/reference and dist/reference sit two levels below the package root.
const dataDir = new URL('../../data/hs/', import.meta.url)

const readCsv = (file: string): string[][] => {
  const text = readFileSync(new URL(file, dataDir), 'utf8').replace(/^\uFEFF/, '')
  return text
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .slice(1)
    .map(parseCsvLine)
}

// RFC 4180 subset: quoted fields with commas and doubled quotes; no newlines inside fields in this data.
// Fields are sliced from the line, not built a character at a time: `+=` leaves a field a rope of one
// node per character, and every service held the HS table as 642,000 such nodes (20 MB of heap).
const parseCsvLine = (line: string): string[] => {
  const fields: string[] = []
  let at = 0
  for (;;) {
    let field = ''
    if (line[at] === '"') {
      const parts: string[] = []
      let from = at + 1
      for (;;) {
        const quote = line.indexOf('"', from)
        parts.push(line.slice(from, quote < 0 ? line.length : quote))
        if (quote >= 0 && line[quote + 1] === '"') {
          parts.push('"')
          from = quote + 2
          continue
        }
        at = quote < 0 ? line.length : quote + 1
        break
      }
      field = parts.join('')
    }
    const comma = line.indexOf(',', at)
    fields.push(field + line.slice(at, comma < 0 ? line.length : comma))
    if (comma < 0) return fields
    at = comma + 1
  }
}

let table: { entries: ReadonlyMap<string, HsEntry>; sections: readonly HsSection[] } | undefined

const load = () => {
  if (table) return table
  const entries = new Map<string, HsEntry>()
  for (const [section = '', code = '', description = '', parent = '', level = ''] of readCsv('harmonized-system.csv')) {
    // Skip the grand-total row; it is not a code anyone can cite.
    if (code === 'TOTAL') continue
    entries.set(code, { code, description, level: Number(level) as HsEntry['level'], parent: parent === 'TOTAL' ? null : parent, section })
  }
  const sections = readCsv('sections.csv').map(([section = '', name = '']) => ({ section, name }))
  table = { entries, sections }
  return table
}

/** The HS 2022 entry for a 2, 4 or 6 digit code, or undefined if the code does not exist. */
export const hsEntry = (code: string): HsEntry | undefined => load().entries.get(code)

/** The 97 HS 2022 chapters (2-digit codes), in code order. */
export const hsChapters = (): HsEntry[] => [...load().entries.values()].filter((entry) => entry.level === 2)

/** The 21 HS sections with their names. */
export const hsSections = (): readonly HsSection[] => load().sections

/** True if the first two digits name an HS chapter (chapters are the same in every edition since 2012). */
export const isKnownHsChapter = (code: string): boolean => hsEntry(code.slice(0, 2))?.level === 2

const hsDigits = z
  .string()
  .regex(/^(\d{2}|\d{4}|\d{6})$/, { message: 'must be 2, 4 or 6 digits (HS chapter, heading or subheading)', abort: true })
  .describe('HS code, 2, 4 or 6 digits')

/** An HS code at 2, 4 or 6 digits that exists in HS 2022, e.g. `8703` or `870380`. */
export const hsCodeSchema = hsDigits.refine((code) => hsEntry(code) !== undefined, { message: 'is not a code of HS 2022' })

/** Format-only check for codes whose edition is given beside them (see `productSchema`). */
export const hsDigitsSchema = hsDigits
