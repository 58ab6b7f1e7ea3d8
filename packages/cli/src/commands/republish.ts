import { createDb } from '@tradewatch/db'
import { republish as republishEvents } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { connect } from 'nats'

/** Rebuilds the JetStream events stream from the Postgres event store, from position `from`. */
export async function republish(options: { databaseUrl: string; natsUrl: string; prefix: string; from: number }): Promise<number> {
  const logger = createLogger({ service: 'cli', level: 'info' })
  const db = createDb(options.databaseUrl, { poolSize: 2, applicationName: 'tradewatch-republish' })
  const nc = await connect({ servers: options.natsUrl.split(','), name: 'tradewatch-republish' })
  try {
    const { published } = await republishEvents({ db, nc, prefix: options.prefix, from: options.from, logger })
    return published
  } finally {
    await nc.drain()
    await db.destroy()
  }
}
