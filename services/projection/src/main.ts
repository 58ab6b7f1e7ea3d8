import { loadConfigOrExit } from '@tradewatch/config'
import { createDb, pingDatabase } from '@tradewatch/db'
import { ensureStreams } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { startProjectors, watchLag } from '@tradewatch/projector'
import { createHttpServer, exitOnStartupError, healthRoutes, MetricsRegistry, onShutdown } from '@tradewatch/service-kit'
import { connect } from 'nats'
import { ProjectionConfig } from './config.js'
import { readModels } from './rebuild/read-models.js'

const config = loadConfigOrExit(ProjectionConfig, 'projection')
const logger = createLogger({ service: 'projection', level: config.LOG_LEVEL })

async function main() {
  const db = createDb(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'tradewatch-projection' })
  const nc = await connect({ servers: config.NATS_URL.split(','), name: 'tradewatch-projection', maxReconnectAttempts: -1, noAsyncTraces: true })
  await ensureStreams(nc, config.TRADEWATCH_PREFIX)

  const metrics = new MetricsRegistry()
  // Labelled { projection }; the service-kit histograms take no labels, so per-projection latency
  // and batch size are sum/count counters and the histograms give the distribution over all of them.
  const projectorMetrics = {
    applied: metrics.counter('projection_events_applied_total', 'Events applied to read models.'),
    deadLettered: metrics.counter('projection_events_dead_lettered_total', 'Events moved to the dead-letter table and subject.'),
    batches: metrics.counter('projection_batches_total', 'Batches handled (events applied / batches = mean batch size).'),
    batchSecondsTotal: metrics.counter(
      'projection_batch_seconds_total',
      'Seconds applying batches and committing checkpoints (over batches = mean apply latency).',
    ),
    batchSeconds: metrics.histogram('projection_batch_seconds', 'Time to apply one batch and commit its checkpoint, all projections.'),
    batchSize: metrics.histogram('projection_batch_size', 'Messages per batch, all projections.', [1, 10, 50, 100, 250, 500, 1_000, 5_000, 10_000]),
    position: metrics.gauge('projection_position', 'Last position the projection committed.'),
  }
  // One consumer parses each event once for all read models; each keeps its own checkpoint and poison handling.
  const projector = await startProjectors({
    db,
    databaseUrl: config.DATABASE_URL,
    nc,
    prefix: config.TRADEWATCH_PREFIX,
    logger,
    projections: readModels,
    batchSize: config.PROJECTION_BATCH_SIZE,
    pipelineDepth: config.PROJECTION_PIPELINE_DEPTH,
    // Read models only: what a Postgres crash takes back, with their checkpoints, is applied again from the stream.
    durableCommits: false,
    metrics: projectorMetrics,
  })
  const lag = watchLag({
    db,
    names: readModels.map((p) => p.name),
    logger,
    metrics: {
      head: metrics.gauge('projection_stream_head', 'Last position in the event store.'),
      lag: metrics.gauge('projection_lag_events', 'Event store head minus the projection checkpoint.'),
    },
  })

  let closing = false
  const app = createHttpServer({ logger })
  await app.register(healthRoutes, {
    metrics,
    isClosing: () => closing,
    checks: {
      postgres: () => pingDatabase(db),
      nats: () => !nc.isClosed(),
      // A standby replica is ready: it serves by waiting.
      projections: () => !projector.status().leader || projector.status().healthy,
    },
  })
  await app.listen({ port: config.PORT, host: config.HOST })

  onShutdown(logger, [
    ['mark not ready', () => (closing = true)],
    ['stop projections', () => projector.stop()],
    ['stop lag metrics', () => lag.stop()],
    ['stop http', () => app.close()],
    ['drain nats', () => nc.drain()],
    ['close postgres', () => db.destroy()],
  ])
}

main().catch(exitOnStartupError(logger))
