import type { ApiKeyEntry } from '@tradewatch/config'
import type { Logger } from '@tradewatch/logger'
import { apiKeyAuth, createHttpServer, healthRoutes, type MetricsRegistry, type ReadinessChecks } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import type { Recording } from './recording/record-batch.js'
import { eventsRoute } from './routes/events.route.js'
import { streamsRoute } from './routes/streams.route.js'

export interface IngestDeps {
  logger: Logger
  recording: Recording
  metrics: MetricsRegistry
  checks: ReadinessChecks
  apiKeys: readonly ApiKeyEntry[]
  bodyLimit: number
  maxBatchInputs: number
  maxLineBytes: number
  isClosing?: () => boolean
}

/** The ingest HTTP app without `listen`, so tests can `inject()`. */
export async function buildApp(deps: IngestDeps): Promise<FastifyInstance> {
  const app = createHttpServer({ logger: deps.logger, bodyLimit: deps.bodyLimit })
  await app.register(apiKeyAuth, { keys: deps.apiKeys })
  await app.register(healthRoutes, { metrics: deps.metrics, checks: deps.checks, isClosing: deps.isClosing })
  await app.register(eventsRoute, {
    recording: deps.recording,
    maxBatchInputs: deps.maxBatchInputs,
    maxLineBytes: deps.maxLineBytes,
  })
  await app.register(streamsRoute, { store: deps.recording.store })
  return app
}
