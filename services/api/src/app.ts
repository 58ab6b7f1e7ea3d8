import type { ApiKeyEntry } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import type { Logger } from '@tradewatch/logger'
import { apiKeyAuth, createHttpServer, healthRoutes, type MetricsRegistry, type ReadinessChecks } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { measuresRoute } from './routes/measures.route.js'

export interface ApiDeps {
  logger: Logger
  db: Db
  metrics: MetricsRegistry
  checks: ReadinessChecks
  apiKeys: readonly ApiKeyEntry[]
  bodyLimit: number
  isClosing?: () => boolean
}

/** The query API without `listen`, so tests can `inject()`. */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = createHttpServer({ logger: deps.logger, bodyLimit: deps.bodyLimit })
  await app.register(apiKeyAuth, { keys: deps.apiKeys })
  await app.register(healthRoutes, { metrics: deps.metrics, checks: deps.checks, isClosing: deps.isClosing })
  await app.register(measuresRoute, { db: deps.db })
  return app
}
