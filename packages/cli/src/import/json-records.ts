import { UsageError } from '../usage-error.js'
import type { ImportRecord } from './import-record.js'

/** A JSON file is read whole, so it is refused above this size: NDJSON has no limit. */
export const maxJsonBytes = 100 * 1024 * 1024

/** The items of a JSON array (or one object) as inputs; item i goes on request line i + 1. */
export function* jsonRecords(text: string): Generator<ImportRecord> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`the file is not valid JSON: ${(err as Error).message}`)
  }
  const items = Array.isArray(parsed) ? parsed : [parsed]
  for (const [index, item] of items.entries()) yield { at: index + 1, json: JSON.stringify(item) }
}
