import { type Kysely, type MigrationResultSet, Migrator } from 'kysely'
import { migrations } from './migrations/index.js'

/**
 * Brings the schema to the latest migration. Safe when several processes start at once:
 * kysely's Migrator holds a Postgres advisory lock while it migrates.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // Engineers land migrations from separate timestamp ranges in any order: one named before an applied one still runs.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
