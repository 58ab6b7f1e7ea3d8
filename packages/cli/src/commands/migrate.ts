import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import { redactUrl } from '@tradewatch/logger'

/** Creates the database if missing and brings its schema to the latest migration. */
export async function migrate(databaseUrl: string, print: (line: string) => void = console.log): Promise<void> {
  if (await ensureDatabase(databaseUrl)) print(`created database ${redactUrl(databaseUrl)}`)
  const db = createDb(databaseUrl, { poolSize: 1, applicationName: 'tradewatch-migrate' })
  try {
    const { results = [] } = await migrateToLatest(db)
    for (const r of results) print(`migration ${r.migrationName}: ${r.status}`)
    if (results.length === 0) print('schema up to date')
  } finally {
    await db.destroy()
  }
}
