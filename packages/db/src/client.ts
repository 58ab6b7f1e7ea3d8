import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Database } from './database.js'

// int8 (positions) as string: JS numbers lose precision past 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value)
// numeric (rates) as string too, parsed where precision is known.

export interface CreateDbOptions {
  poolSize?: number
  applicationName?: string
}

export type Db = Kysely<Database>

/** A kysely instance over a `pg` pool. Call `db.destroy()` to close the pool. */
export function createDb(connectionString: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'tradewatch',
    connectionTimeoutMillis: 5_000,
    // Short OLTP queries only: JIT compilation costs more than it saves, and a table not yet
    // analysed inflates cost estimates past jit_above_cost. UTC: a date read into a timestamptz
    // must not depend on the server's zone, or a rebuild elsewhere would differ.
    options: '-c jit=off -c timezone=UTC',
  })
  // An idle client losing its server (Postgres restart) must not crash the process.
  pool.on('error', () => {})
  // Nor a checked-out one between two queries (a transaction while the caller computes): pg-pool
  // listens for errors only on idle clients, and an 'error' nobody listens to kills the process.
  // The client's next query then fails, which callers already treat as transient.
  pool.on('connect', (client) => client.on('error', () => {}))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

/** Creates the database named in `connectionString` if it does not exist yet. */
export async function ensureDatabase(connectionString: string): Promise<boolean> {
  const url = new URL(connectionString)
  const name = decodeURIComponent(url.pathname.slice(1))
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(name)) throw new Error(`unsupported database name: ${name}`)
  url.pathname = '/postgres'
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (found.rowCount) return false
    try {
      await client.query(`CREATE DATABASE "${name}"`)
    } catch (err) {
      // Another process created it between the check and the CREATE.
      if ((err as { code?: string }).code !== '42P04') throw err
      return false
    }
    return true
  } finally {
    await client.end()
  }
}

/** For readiness checks: true when Postgres answers a trivial query. */
export async function pingDatabase(db: Db): Promise<boolean> {
  await sql`SELECT 1`.execute(db)
  return true
}
