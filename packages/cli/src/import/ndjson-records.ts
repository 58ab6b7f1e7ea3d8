import type { ImportRecord } from './import-record.js'

/** NDJSON lines as they are (ingest parses and judges them); blank lines are skipped but keep their numbers. */
export async function* ndjsonRecords(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  let line = 0
  let rest = ''
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n')
    rest = parts.pop() ?? ''
    for (const part of parts) {
      line++
      const text = part.trim()
      if (text) yield { at: line, json: text }
    }
  }
  if (rest.trim()) yield { at: line + 1, json: rest.trim() }
}
