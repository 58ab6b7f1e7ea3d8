import { createDb } from '@tradewatch/db'
import { startPostgresCluster } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { expect, it } from 'vitest'

it('given a transaction holding a pooled connection between two queries, when Postgres shuts down (fast), then its next query fails and the process lives on', async () => {
  const cluster = await startPostgresCluster()
  const db = createDb(cluster.url, { poolSize: 2 })
  try {
    // Given: a connection checked out of the pool, idle in a transaction.
    const work = db.transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx)
      // When: the server terminates every session while this one waits for its next query.
      await cluster.stop('fast')
      await new Promise((resolve) => setTimeout(resolve, 200))
      await sql`SELECT 1`.execute(trx)
    })
    // Then: a rejected query, not an unhandled 'error' event (which would end the test process).
    await expect(work).rejects.toThrow()
    await cluster.start()
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows).toEqual([{ one: 1 }])
  } finally {
    await db.destroy()
    await cluster.destroy()
  }
}, 60_000)
