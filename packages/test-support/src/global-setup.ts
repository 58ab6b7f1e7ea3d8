import { randomBytes } from 'node:crypto'
import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import type { TestProject } from 'vitest/node'
import { adminQuery, dropDatabase, withDatabase } from './databases.js'
import { acquireServers } from './servers.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL: connect to it only to create databases. */
    databaseServerUrl: string
    /** A migrated database to clone per test file (CREATE DATABASE … TEMPLATE). */
    templateDatabase: string
    natsUrl: string
    /** Names this run's databases, so concurrent runs on one server never drop each other's. */
    runId: string
  }
}

/** Starts or finds the servers once per run and migrates a template database. */
export default async function setup(project: TestProject) {
  const servers = await acquireServers()
  await ensureDatabase(servers.databaseUrl)
  const runId = randomBytes(3).toString('hex')
  const template = `tw_template_${runId}`
  const templateUrl = withDatabase(servers.databaseUrl, template)
  await ensureDatabase(templateUrl)
  const db = createDb(templateUrl, { poolSize: 1 })
  try {
    await migrateToLatest(db)
  } finally {
    await db.destroy()
  }
  project.provide('databaseServerUrl', servers.databaseUrl)
  project.provide('templateDatabase', template)
  project.provide('natsUrl', servers.natsUrl)
  project.provide('runId', runId)

  return async () => {
    // Test files drop their own databases; this catches the ones a crashed file left behind.
    const leftovers = await adminQuery<{ datname: string }>(servers.databaseUrl, `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [
      `tw\\_test\\_${runId}\\_%`,
      template,
    ])
    for (const { datname } of leftovers.rows) await dropDatabase(servers.databaseUrl, datname)
    await servers.stop()
  }
}
