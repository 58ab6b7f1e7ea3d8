import { randomBytes } from 'node:crypto'
import pg from 'pg'

export function withDatabase(connectionString: string, name: string): string {
  const url = new URL(connectionString)
  url.pathname = `/${name}`
  return url.toString()
}

export function databaseName(connectionString: string): string {
  return decodeURIComponent(new URL(connectionString).pathname.slice(1))
}

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(connectionString: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    return await client.query<T>(text, values)
  } finally {
    await client.end()
  }
}

/** In every name this process makes, so a clean-up can tell its own databases from a concurrent run's. */
export const processToken = randomBytes(3).toString('hex')

export function uniqueName(prefix: string): string {
  return `${prefix}_${processToken}${randomBytes(3).toString('hex')}`
}

/** A fresh database cloned from the migrated template: milliseconds instead of a migration run. */
export async function cloneDatabase(serverUrl: string, template: string, runId: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName(`tw_test_${runId}`)
  await adminQuery(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`)
  return {
    url: withDatabase(serverUrl, name),
    drop: () => dropDatabase(serverUrl, name),
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}
