import { loadConfigOrExit } from '@tradewatch/config'
import { createDb, pingDatabase } from '@tradewatch/db'
import { ensureStreams } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { startProjector } from '@tradewatch/projector'
import { createHttpServer, exitOnStartupError, healthRoutes, MetricsRegistry, onShutdown } from '@tradewatch/service-kit'
import { connect } from 'nats'
import { AlertConfig } from './config.js'
import { createAddressGuard } from './delivery/address-guard.js'
import { startAlertPublisher } from './delivery/nats-publisher.js'
import { startWebhookWorker } from './delivery/webhook-worker.js'
import { createAlertsProjection } from './matching/alerts.projection.js'

const config = loadConfigOrExit(AlertConfig, 'alert')
const logger = createLogger({ service: 'alert', level: config.LOG_LEVEL })

async function main() {
  const db = createDb(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'tradewatch-alert' })
  const nc = await connect({ servers: config.NATS_URL.split(','), name: 'tradewatch-alert', maxReconnectAttempts: -1, noAsyncTraces: true })
  await ensureStreams(nc, config.TRADEWATCH_PREFIX)

  const metrics = new MetricsRegistry()
  const publisher = startAlertPublisher({ db, js: nc.jetstream(), prefix: config.TRADEWATCH_PREFIX, logger: logger.child({ component: 'nats-publisher' }) })
  metrics.gauge('alerts_published', 'Alerts published to JetStream by this process.', () => publisher.published())
  const webhooks = startWebhookWorker({
    db,
    guard: createAddressGuard(config.WEBHOOK_ALLOW_HOSTS),
    logger: logger.child({ component: 'webhooks' }),
    limits: { connectTimeoutMs: config.WEBHOOK_CONNECT_TIMEOUT_MS, timeoutMs: config.WEBHOOK_TIMEOUT_MS, maxResponseBytes: config.WEBHOOK_MAX_RESPONSE_BYTES },
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    backoff: { baseMs: config.WEBHOOK_BACKOFF_BASE_MS, maxMs: config.WEBHOOK_BACKOFF_MAX_MS },
    concurrency: config.WEBHOOK_CONCURRENCY,
    pollMs: config.WEBHOOK_POLL_MS,
    metrics: {
      attempts: metrics.counter('alert_webhook_attempts_total', 'Webhook attempts by outcome: ok (2xx), failed (will retry), dead (dead-lettered).'),
      latency: metrics.histogram('alert_webhook_latency_seconds', 'From an alert created to its webhook answered 2xx.'),
    },
  })
  const alertsCreated = metrics.counter('alerts_created_total', 'Alerts created (one per matching subscription and event).')
  const projection = createAlertsProjection({ handOff: webhooks.handOff })
  const matcher = await startProjector({
    db,
    databaseUrl: config.DATABASE_URL,
    nc,
    prefix: config.TRADEWATCH_PREFIX,
    logger,
    projection,
    batchSize: config.ALERT_BATCH_SIZE,
    metrics: {
      applied: metrics.counter('alert_events_matched_total', 'Events judged against subscriptions.'),
      deadLettered: metrics.counter('alert_events_dead_lettered_total', 'Events the alert service could not read.'),
      batchSeconds: metrics.histogram('alert_batch_seconds', 'Time to match one batch and commit its alerts.'),
    },
    onCommitted: (position) => {
      const { created, unclaimed } = projection.committed(position)
      alertsCreated.inc(created)
      publisher.wake()
      // Deliveries the batch claimed itself are on their way already.
      if (unclaimed) webhooks.wake()
    },
  })
  metrics.gauge('alert_position', 'Last event position judged by the alert service.', () => matcher.status().position)

  let closing = false
  const app = createHttpServer({ logger })
  await app.register(healthRoutes, {
    metrics,
    isClosing: () => closing,
    checks: {
      postgres: () => pingDatabase(db),
      nats: () => !nc.isClosed(),
      matcher: () => !matcher.status().leader || matcher.status().healthy,
    },
  })
  await app.listen({ port: config.PORT, host: config.HOST })

  onShutdown(logger, [
    ['mark not ready', () => (closing = true)],
    ['stop matching', () => matcher.stop()],
    ['stop publishing', () => publisher.stop()],
    ['stop webhooks', () => webhooks.stop()],
    ['stop http', () => app.close()],
    ['drain nats', () => nc.drain()],
    ['close postgres', () => db.destroy()],
  ])
}

main().catch(exitOnStartupError(logger))
