import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { createDb, ensureDatabase, migrateToLatest } from './index.js'

// Not @tradewatch/test-support: it depends on this package, and a cycle breaks filtered builds.
const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`
const withDatabase = (server: string, name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).toString()
async function adminQuery(server: string, text: string) {
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

describe('migrations', () => {
  it('run safely when several processes start at once', async () => {
    const server = inject('databaseServerUrl')
    const name = uniqueName(`tw_test_${inject('runId')}`)
    const url = withDatabase(server, name)
    expect(await ensureDatabase(url)).toBe(true)
    expect(await ensureDatabase(url)).toBe(false)
    const dbs = [createDb(url), createDb(url), createDb(url)]
    try {
      const results = await Promise.all(dbs.map((db) => migrateToLatest(db)))
      const applied = results.flatMap((r) => r.results ?? []).filter((r) => r.status === 'Success')
      const files = new Set(applied.map((r) => r.migrationName))
      // Every migration ran exactly once across the three racing migrators.
      expect(applied.length).toBe(files.size)
      expect(files.size).toBeGreaterThan(0)
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()))
      await adminQuery(server, `DROP DATABASE "${name}" WITH (FORCE)`)
    }
  })

  it('make the events table append-only', async () => {
    const server = inject('databaseServerUrl')
    const name = uniqueName(`tw_test_${inject('runId')}`)
    const url = withDatabase(server, name)
    await adminQuery(server, `CREATE DATABASE "${name}" TEMPLATE "${inject('templateDatabase')}"`)
    const db = createDb(url)
    try {
      await sql`INSERT INTO events (position, event_id, stream_id, aggregate_type, aggregate_id, version, type, data, metadata, recorded_at)
        VALUES (1, gen_random_uuid(), 'measure-x', 'measure', 'x', 1, 'MeasureAnnounced', '{}', '{}', now())`.execute(db)
      await expect(sql`UPDATE events SET type = 'Other'`.execute(db)).rejects.toThrow(/append-only/)
      await expect(sql`DELETE FROM events`.execute(db)).rejects.toThrow(/append-only/)
    } finally {
      await db.destroy()
      await adminQuery(server, `DROP DATABASE "${name}" WITH (FORCE)`)
    }
  })
})
