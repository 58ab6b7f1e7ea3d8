import { parseArgs } from 'node:util'
import { databaseEnv, loadConfigOrExit, logEnv } from '@tradewatch/config'
import { createDb } from '@tradewatch/db'
import { createLogger } from '@tradewatch/logger'
import { RebuildError, type RebuildReport, rebuildProjections } from '@tradewatch/projector'
import { z } from 'zod'
import { readModels } from './read-models.js'

/**
 * `node dist/rebuild/main.js [name...] [--json]`, which `tradewatch projections rebuild` runs: rebuilds the
 * named read models (all without a name) in one read of the event store while the service keeps running,
 * swaps them in one after the other, and prints each as it is swapped in (`seconds`: from the start to its
 * swap). Exit 2: an unknown name (nothing rebuilt); 1: a rebuild failed (the read models not yet swapped in
 * untouched).
 */
const RebuildConfig = z.object({ ...databaseEnv, ...logEnv })
const config = loadConfigOrExit(RebuildConfig, 'projection-rebuild')
const logger = createLogger({ service: 'projection-rebuild', level: config.LOG_LEVEL })

const { values, positionals } = parseArgs({ options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true })
const known = readModels.map((p) => p.name)
const unknown = positionals.filter((name) => !known.includes(name))
if (unknown.length > 0) {
  console.error(`tradewatch: no projection named ${unknown.map((n) => `"${n}"`).join(', ')}; the projections are ${known.join(', ')}`)
  process.exit(2)
}
const selected = positionals.length === 0 ? readModels : readModels.filter((p) => positionals.includes(p.name))

async function main() {
  // The rebuild locks' connection, one reading events and one per read model applying them.
  const db = createDb(config.DATABASE_URL, { poolSize: selected.length + 2, applicationName: 'tradewatch-rebuild' })
  const print = (report: RebuildReport) =>
    console.log(
      `rebuilt ${report.name}: ${report.applied} events in ${report.seconds.toFixed(1)} s (${Math.round(report.eventsPerSecond)} events/s), checkpoint ${report.position}`,
    )
  try {
    const reports = await rebuildProjections({ db, projections: selected, logger, onRebuilt: values.json ? undefined : print })
    if (values.json) console.log(JSON.stringify(reports, null, 2))
  } finally {
    await db.destroy()
  }
}

main().catch((err: unknown) => {
  console.error(`tradewatch: ${err instanceof RebuildError ? err.message : String((err as Error)?.stack ?? err)}`)
  process.exit(1)
})
