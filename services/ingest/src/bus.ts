import type { Db } from '@tradewatch/db'
import { ensureStreams, type Relay, startRelay } from '@tradewatch/event-store'
import type { Logger } from '@tradewatch/logger'
import { connect, type NatsConnection, type Subscription } from 'nats'
import { serveIngestRequests } from './commands/ingest-requests.js'
import type { IngestConfig } from './config.js'
import type { Recording } from './recording/record-batch.js'

export interface Bus {
  connected(): boolean
  relayPosition(): number
  stop(): Promise<void>
}

/**
 * Ingest's NATS side — the relay and the request/reply subject — started in the background:
 * appends commit to Postgres whether or not NATS is up, also at start-up, and the relay
 * publishes them once it is.
 */
export function startBus(options: { config: IngestConfig; db: Db; recording: Recording; logger: Logger }): Bus {
  const { config, db, recording, logger } = options
  let nc: NatsConnection | undefined
  let relay: Relay | undefined
  let requests: Subscription | undefined
  let stopped = false

  const setUp = async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        // Resolves once a server answers, however long that takes.
        nc ??= await connect({
          servers: config.NATS_URL.split(','),
          name: 'tradewatch-ingest',
          waitOnFirstConnect: true,
          maxReconnectAttempts: -1,
          noAsyncTraces: true,
        })
        if (stopped) return
        await ensureStreams(nc, config.TRADEWATCH_PREFIX, { duplicateWindowMs: config.EVENTS_DUPLICATE_WINDOW_MS })
        break
      } catch (err) {
        logger.warn({ err, attempt }, 'NATS set-up failed; retrying')
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * attempt)))
      }
    }
    if (stopped || !nc) return
    if (config.RELAY_ENABLED) {
      relay = await startRelay({
        db,
        databaseUrl: config.DATABASE_URL,
        nc,
        prefix: config.TRADEWATCH_PREFIX,
        duplicateWindowMs: config.EVENTS_DUPLICATE_WINDOW_MS,
        logger: logger.child({ component: 'relay' }),
      })
    }
    const subscription = serveIngestRequests({ nc, prefix: config.TRADEWATCH_PREFIX, recording, maxBatchInputs: config.MAX_BATCH_INPUTS, logger })
    // Connected means a request now finds a responder: the server has seen the subscription.
    await nc.flush()
    requests = subscription
    logger.info('connected to NATS: relay and request subject running')
  }
  const running = setUp().catch((err) => logger.error({ err }, 'NATS side stopped'))

  return {
    connected: () => !!nc && !nc.isClosed() && !!requests,
    relayPosition: () => relay?.status().publishedPosition ?? 0,
    async stop() {
      stopped = true
      // A connect still waiting for a first server has nothing to drain.
      if (!requests) return
      await running
      await requests.drain()
      await relay?.stop()
      await nc?.drain()
    },
  }
}
