import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { compareTables, repoRoot, tableRows } from '@tradewatch/test-support'

const run = promisify(execFile)

/** Every read model's tables (the seven projections'), compared whole. */
export const readModelTables = [
  'measures',
  'measure_history',
  'tariff_line_inputs',
  'tariff_lines',
  'agreements',
  'agreement_status_history',
  'timeline_subjects',
  'timeline',
  'event_archive',
  'relation_states',
  'relation_measures',
  'relation_agreements',
  'relation_monthly',
]

/**
 * Every read model equals a fresh rebuild, row for row: the live tables are read, then `tradewatch
 * projections rebuild` (the projection service's rebuild entry) builds each projection again from the
 * event store and swaps it in, and the new tables are read and compared with the old. Problems, or `[]`.
 */
export async function readModelsEqualRebuild(databaseUrl: string): Promise<string[]> {
  const live = await tableRows(databaseUrl, readModelTables)
  await run(process.execPath, [path.join(repoRoot, 'services/projection/dist/rebuild/main.js'), '--json'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    maxBuffer: 16 * 1024 * 1024,
  })
  const rebuilt = await tableRows(databaseUrl, readModelTables)
  return compareTables(rebuilt, live).map(
    (d) => `${d.table}: only in the rebuild ${JSON.stringify(d.onlyInExpected)}, only live ${JSON.stringify(d.onlyInActual)}`,
  )
}
