import { fileURLToPath } from 'node:url'
import { demoEventsPath } from '@tradewatch/demo-data'
import type { ImportOutcome } from '../import/report.js'
import { type ImportOptions, importFile } from './import.js'

/** Records the demo data (packages/demo-data/data/events.ndjson) through ingest, like any import; a second seed adds nothing. */
export const seed = (options: Omit<ImportOptions, 'file' | 'format'>): Promise<ImportOutcome> =>
  importFile({ ...options, file: fileURLToPath(demoEventsPath), format: 'ndjson' })
