import { parseArgs } from 'node:util'
import { databaseEnv, loadConfigOrExit, logEnv } from '@tradewatch/config'
import { createDb } from '@tradewatch/db'
import { createLogger } from '@tradewatch/logger'
import { RebuildError, type RebuildReport, rebuildProjection } from '@tradewatch/projector'
import { z } from 'zod'
import { readModels } from './read-models.js'

/**
 * `node dist/rebuild/main.js [name...] [--json]`, which `tradewatch projections rebuild` runs: rebuilds the
 * named read models (all without a name) one after the other while the service keeps running, and prints
 * what each took. Exit 2: an unknown name (nothing rebuilt); 1: a rebuild failed (its live tables untouched).
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
  // The rebuild lock's connection, one reading events and one applying them.
  const db = createDb(config.DATABASE_URL, { poolSize: 3, applicationName: 'tradewatch-rebuild' })
  const reports: RebuildReport[] = []
  try {
    for (const projection of selected) {
      const report = await rebuildProjection({ db, projection, logger })
      reports.push(report)
      if (!values.json)
        console.log(
          `rebuilt ${report.name}: ${report.applied} events in ${report.seconds.toFixed(1)} s (${Math.round(report.eventsPerSecond)} events/s), checkpoint ${report.position}`,
        )
    }
    if (values.json) console.log(JSON.stringify(reports, null, 2))
  } finally {
    await db.destroy()
  }
}

main().catch((err: unknown) => {
  console.error(`tradewatch: ${err instanceof RebuildError ? err.message : String((err as Error)?.stack ?? err)}`)
  process.exit(1)
})
