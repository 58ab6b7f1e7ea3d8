import { loadConfigOrExit } from '@tradewatch/config'
import { createDb, pingDatabase } from '@tradewatch/db'
import { createEventStore } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { exitOnStartupError, MetricsRegistry, onShutdown } from '@tradewatch/service-kit'
import { buildApp } from './app.js'
import { startBus } from './bus.js'
import { IngestConfig } from './config.js'
import { createRecording } from './recording/record-batch.js'

const config = loadConfigOrExit(IngestConfig, 'ingest')
const logger = createLogger({ service: 'ingest', level: config.LOG_LEVEL })

async function main() {
  const db = createDb(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'tradewatch-ingest' })
  const store = createEventStore({ db, logger })
  const recording = createRecording(store)
  const bus = startBus({ config, db, recording, logger })
  const metrics = new MetricsRegistry()
  metrics.gauge('relay_published_position', 'Last event position the relay published to JetStream.', () => bus.relayPosition())
  metrics.gauge('nats_connected', '1 while connected to NATS with the relay running.', () => (bus.connected() ? 1 : 0))
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
    // Ready as long as appends can commit: NATS being away delays publishing, not recording.
    checks: { postgres: () => pingDatabase(db) },
  })
  await app.listen({ port: config.PORT, host: config.HOST })
  if (config.API_KEYS.length === 0) logger.warn('API_KEYS is empty: every ingest request will be refused with 401')

  onShutdown(logger, [
    ['mark not ready', () => (closing = true)],
    ['stop http', () => app.close()],
    ['flush appends', () => store.close()],
    ['stop relay, drain nats', () => bus.stop()],
    ['close postgres', () => db.destroy()],
  ])
}

main().catch(exitOnStartupError(logger))
