import type { ImportRecord, Origin } from '../import/import-record.js'
import { postNdjson } from '../import/ingest-client.js'
import { Progress } from '../import/progress.js'
import { formatOf, openImportFile } from '../import/read-file.js'
import { type ImportOutcome, merge, type Rejection } from '../import/report.js'

export interface ImportOptions {
  file: string
  format?: string
  ingestUrl: string
  apiKey: string
  /** Where the progress bar goes when it is a terminal. */
  progressTo: NodeJS.WriteStream
}

/** Streams a JSON, NDJSON or CSV file of event inputs to ingest and counts what it did with each. */
export async function importFile(options: ImportOptions): Promise<ImportOutcome> {
  const format = formatOf(options.file, options.format)
  const opened = await openImportFile(options.file, format)
  const origin = (at: number): Origin => (format === 'json' ? { index: at - 1 } : { line: at })
  const progress = new Progress(options.progressTo, options.progressTo.isTTY ? await opened.total() : undefined, format === 'json' ? 'items' : 'lines')
  const local: Rejection[] = []
  const remote: Rejection[] = []
  async function* noteLocalProblems(records: AsyncIterable<ImportRecord>): AsyncGenerator<ImportRecord> {
    for await (const record of records) {
      if ('problem' in record) local.push({ origin: origin(record.at), problem: record.problem })
      yield record
    }
  }
  try {
    const summary = await postNdjson(options.ingestUrl, options.apiKey, noteLocalProblems(opened.records), (result) => {
      if (result.status === 'rejected') remote.push({ origin: origin(result.line), problem: result.problem })
      progress.update(result.line)
    })
    return merge(summary, local, remote)
  } finally {
    progress.done()
  }
}
