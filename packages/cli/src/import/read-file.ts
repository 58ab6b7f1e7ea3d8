import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { UsageError } from '../usage-error.js'
import { csvRecords } from './csv-records.js'
import type { ImportRecord } from './import-record.js'
import { jsonRecords, maxJsonBytes } from './json-records.js'
import { ndjsonRecords } from './ndjson-records.js'

export const importFormats = ['json', 'ndjson', 'csv'] as const
export type ImportFormat = (typeof importFormats)[number]

const formatsByExtension: Record<string, ImportFormat> = { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' }

/** The format named by --format, else by the file's extension. */
export function formatOf(file: string, format: string | undefined): ImportFormat {
  if (format !== undefined) {
    if ((importFormats as readonly string[]).includes(format)) return format as ImportFormat
    throw new UsageError(`--format must be one of ${importFormats.join(', ')}, got "${format}"`)
  }
  const byExtension = formatsByExtension[path.extname(file).toLowerCase()]
  if (!byExtension) throw new UsageError(`cannot tell the format of "${file}" from its extension; pass --format ${importFormats.join('|')}`)
  return byExtension
}

export interface OpenedFile {
  records: AsyncIterable<ImportRecord>
  /** Lines (NDJSON, CSV) or items (JSON) in the file, for the progress bar. */
  total: () => Promise<number>
}

/** Opens the file for streaming: NDJSON and CSV line by line; JSON whole, up to 100 MB. */
export async function openImportFile(file: string, format: ImportFormat): Promise<OpenedFile> {
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) throw new UsageError(`no such file: ${file}`)
  if (format === 'json') {
    if (info.size > maxJsonBytes)
      throw new UsageError(`${file} is over ${maxJsonBytes / 1024 / 1024} MB: JSON files are read whole; use NDJSON for larger imports`)
    const records = [...jsonRecords(stripBom(await readFile(file, 'utf8')))]
    return { records: toAsync(records), total: async () => records.length }
  }
  const text = withoutBom(createReadStream(file, { encoding: 'utf8' }))
  return { records: format === 'csv' ? csvRecords(text) : ndjsonRecords(text), total: () => countLines(file) }
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)

async function* withoutBom(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let first = true
  for await (const chunk of chunks) {
    yield first ? stripBom(chunk) : chunk
    first = false
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items
}

async function countLines(file: string): Promise<number> {
  let lines = 0
  let last = 10
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
    last = chunk.at(-1) ?? last
  }
  return last === 10 ? lines : lines + 1
}
