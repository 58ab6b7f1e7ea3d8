import { createDb, type Db, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import { type NatsServer, type PostgresCluster, startNatsServer, startPostgresCluster, testPrefix, withDatabase } from '@tradewatch/test-support'
import { connect, type NatsConnection } from 'nats'

/** A nats-server and a Postgres cluster of the suite's own (free ports, never the shared ones), a migrated database, a prefix. */
export interface Infrastructure {
  readonly nats: NatsServer
  readonly postgres: PostgresCluster
  readonly databaseUrl: string
  readonly prefix: string
  /** Survives NATS restarts (reconnects for ever). */
  readonly nc: NatsConnection
  /** A small pool the checks and probes share; its connections are re-made after a Postgres restart. */
  readonly db: Db
  destroy(): Promise<void>
}

export async function startInfrastructure(): Promise<Infrastructure> {
  const [nats, postgres] = await Promise.all([startNatsServer(), startPostgresCluster()])
  const databaseUrl = withDatabase(postgres.url, 'tradewatch')
  await ensureDatabase(databaseUrl)
  const db = createDb(databaseUrl, { poolSize: 4, applicationName: 'tradewatch-faults' })
  await migrateToLatest(db)
  const nc = await connect({ servers: nats.url, name: 'tradewatch-faults', maxReconnectAttempts: -1, reconnectTimeWait: 250 })
  return {
    nats,
    postgres,
    databaseUrl,
    prefix: testPrefix(),
    nc,
    db,
    async destroy() {
      await nc.close().catch(() => {})
      await db.destroy().catch(() => {})
      await Promise.all([nats.destroy(), postgres.destroy()])
    },
  }
}
