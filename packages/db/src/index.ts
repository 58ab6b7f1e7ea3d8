export { type CreateDbOptions, createDb, type Db, ensureDatabase, pingDatabase } from './client.js'
export type * from './database.js'
export { migrateToLatest } from './migrate.js'
