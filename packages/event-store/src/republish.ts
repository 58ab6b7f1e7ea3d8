import type { Db } from '@tradewatch/db'
import { streams } from '@tradewatch/domain'
import type { Logger } from '@tradewatch/logger'
import { sql } from 'kysely'
import type { NatsConnection } from 'nats'
import { advisoryKey, relayLockName } from './advisory-key.js'
import { EventStoreError, errorCodes } from './errors.js'
import { openEventPublisher } from './publish-events.js'
import { readAll, readHead } from './read-events.js'
import { ensureStream, eventsStreamConfig, isStreamNotFound } from './streams.js'

export interface RepublishOptions {
  db: Db
  nc: NatsConnection
  prefix: string
  /** First position the rebuilt stream holds; its sequence numbers stay equal to positions. */
  from: number
  logger: Logger
}

const batchSize = 1000

/**
 * Rebuilds the events stream from Postgres: deletes and recreates it so that its next sequence
 * is `from`, then publishes every position ≥ `from`. Holds the relay's leadership lock
 * throughout, so no relay publishes meanwhile; fails with RELAY_RUNNING if a relay leads now.
 */
export async function republish({ db, nc, prefix, from, logger }: RepublishOptions): Promise<{ published: number }> {
  const log = logger.child({ component: 'republish', prefix })
  const key = advisoryKey(relayLockName(prefix))
  // A session lock on one pooled connection, held for the whole rebuild.
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${key}::bigint) AS locked`.execute(conn)
    if (!rows[0]?.locked) throw new EventStoreError(errorCodes.relayRunning, `a relay leads prefix ${prefix}: stop it before republishing`)
    try {
      const head = await readHead(conn)
      if (!Number.isInteger(from) || from < 1 || from > head + 1) {
        throw new EventStoreError(errorCodes.invalidArgument, `republish from ${from} is outside 1..${head + 1}`)
      }
      await recreateEventsStream(nc, prefix, from)
      let published = 0
      const publisher = openEventPublisher(nc, prefix)
      try {
        for (let after = from - 1; ; ) {
          const events = await readAll(conn, after, batchSize)
          if (events.length === 0) break
          await publisher.publish(events)
          published += events.length
          after = events[events.length - 1]?.position ?? after
        }
      } finally {
        publisher.close()
      }
      log.info({ from, published }, 'events stream rebuilt from Postgres')
      return { published }
    } finally {
      await sql`SELECT pg_advisory_unlock(${key}::bigint)`.execute(conn)
    }
  })
}

/**
 * A fresh events stream whose next sequence is `from`. NATS 2.10+ takes `first_seq` at
 * creation. NATS 2.9 has no `first_seq`, and although a purge with `seq` on an empty stream
 * moves first_seq, the server's own last-sequence check is not moved with it (the next publish
 * expecting `from - 1` is refused as "wrong last sequence: 0"). So on 2.9 the stream is filled
 * with placeholders up to `from - 1`, which a purge then removes.
 */
async function recreateEventsStream(nc: NatsConnection, prefix: string, from: number) {
  const jsm = await nc.jetstreamManager()
  const js = nc.jetstream()
  const config = eventsStreamConfig(prefix)
  await jsm.streams.delete(config.name).catch((err) => {
    if (!isStreamNotFound(err)) throw err
  })
  if (from === 1) return ensureStream(jsm, config)
  if (supportsFirstSeq(nc.info?.version)) return ensureStream(jsm, { ...config, first_seq: from })
  await ensureStream(jsm, config)
  const gapSubject = `${prefix}.events._gap`
  for (let seq = 1; seq < from; seq += batchSize) {
    const acks: Promise<unknown>[] = []
    for (let s = seq; s < Math.min(from, seq + batchSize); s++)
      acks.push(js.publish(gapSubject, undefined, { expect: { lastSequence: s - 1, streamName: config.name } }))
    await Promise.all(acks)
  }
  await jsm.streams.purge(streams.events(prefix), { seq: from })
}

function supportsFirstSeq(version = '0.0'): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major > 2 || (major === 2 && minor >= 10)
}
