import { loadConfigOrExit } from '@tradewatch/config'
import { createDb, pingDatabase } from '@tradewatch/db'
import { createEventStore, ensureStreams, startRelay } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { exitOnStartupError, MetricsRegistry, onShutdown } from '@tradewatch/service-kit'
import { connect } from 'nats'
import { buildApp } from './app.js'
import { serveIngestRequests } from './commands/ingest-requests.js'
import { IngestConfig } from './config.js'
import { createRecording } from './recording/record-batch.js'

const config = loadConfigOrExit(IngestConfig, 'ingest')
const logger = createLogger({ service: 'ingest', level: config.LOG_LEVEL })

async function main() {
  const db = createDb(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'tradewatch-ingest' })
  const store = createEventStore({ db, logger })
  const nc = await connect({ servers: config.NATS_URL.split(','), name: 'tradewatch-ingest', maxReconnectAttempts: -1, noAsyncTraces: true })
  await ensureStreams(nc, config.TRADEWATCH_PREFIX, { duplicateWindowMs: config.EVENTS_DUPLICATE_WINDOW_MS })
  const relay = config.RELAY_ENABLED
    ? await startRelay({
        db,
        databaseUrl: config.DATABASE_URL,
        nc,
        prefix: config.TRADEWATCH_PREFIX,
        duplicateWindowMs: config.EVENTS_DUPLICATE_WINDOW_MS,
        logger: logger.child({ component: 'relay' }),
      })
    : undefined

  const recording = createRecording(store)
  const metrics = new MetricsRegistry()
  metrics.gauge('relay_published_position', 'Last event position the relay published to JetStream.', () => relay?.status().publishedPosition ?? 0)
  let closing = false
  const app = await buildApp({
    logger,
    recording,
    metrics,
    apiKeys: config.API_KEYS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    maxBatchInputs: config.MAX_BATCH_INPUTS,
    maxLineBytes: config.NDJSON_MAX_LINE_BYTES,
    isClosing: () => closing,
    checks: {
      postgres: () => pingDatabase(db),
      nats: () => !nc.isClosed(),
    },
  })
  await app.listen({ port: config.PORT, host: config.HOST })
  const requests = serveIngestRequests({
    nc,
    prefix: config.TRADEWATCH_PREFIX,
    recording,
    maxBatchInputs: config.MAX_BATCH_INPUTS,
    logger,
  })
  if (config.API_KEYS.length === 0) logger.warn('API_KEYS is empty: every ingest request will be refused with 401')

  onShutdown(logger, [
    ['mark not ready', () => (closing = true)],
    ['stop http', () => app.close()],
    ['stop nats requests', () => requests.drain()],
    ['flush appends', () => store.close()],
    ['stop relay', () => relay?.stop()],
    ['drain nats', () => nc.drain()],
    ['close postgres', () => db.destroy()],
  ])
}

main().catch(exitOnStartupError(logger))
