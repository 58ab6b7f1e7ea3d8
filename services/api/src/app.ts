import cors from '@fastify/cors'
import type { ApiKeyEntry } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import type { Logger } from '@tradewatch/logger'
import { apiKeyAuth, createHttpServer, healthRoutes, type MetricsRegistry, type ReadinessChecks } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { caching } from './http/caching.plugin.js'
import { rateLimit } from './http/rate-limit.plugin.js'
import { readYourWrites } from './http/read-your-writes.plugin.js'
import { openApi } from './openapi/openapi.plugin.js'
import { agreementsRoute } from './routes/agreements.route.js'
import { alertsRoute } from './routes/alerts.route.js'
import { measuresRoute } from './routes/measures.route.js'
import { referenceRoute } from './routes/reference.route.js'
import { relationsRoute } from './routes/relations.route.js'
import { subscriptionsRoute } from './routes/subscriptions.route.js'
import { tariffsRoute } from './routes/tariffs.route.js'
import { timelineRoute } from './routes/timeline.route.js'
import { alertsStreamRoute } from './sse/alerts-stream.route.js'

export interface ApiDeps {
  logger: Logger
  db: Db
  metrics: MetricsRegistry
  checks: ReadinessChecks
  apiKeys: readonly ApiKeyEntry[]
  bodyLimit: number
  rateLimit: { perSecond: number; burst: number }
  /** Allowed browser origins; `*` for any, empty for no CORS. */
  corsOrigins: readonly string[]
  minPositionWaitMs: number
  isClosing?: () => boolean
  /** The alert stream LISTENs here for new alerts; without it, it polls. */
  databaseUrl?: string
}

/** The query API without `listen`, so tests can `inject()`. Each resource is one route plugin: add a line below. */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = createHttpServer({ logger: deps.logger, bodyLimit: deps.bodyLimit })
  // First, so every route registered after it is in /openapi.json.
  await app.register(openApi, { title: 'Tradewatch API', version: '1' })
  if (deps.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: deps.corsOrigins.includes('*') ? '*' : [...deps.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
      maxAge: 600,
    })
  }
  await app.register(apiKeyAuth, { keys: deps.apiKeys })
  await app.register(rateLimit, deps.rateLimit)
  await app.register(readYourWrites, { db: deps.db, waitMs: deps.minPositionWaitMs })
  await app.register(caching)
  await app.register(healthRoutes, { metrics: deps.metrics, checks: deps.checks, isClosing: deps.isClosing })

  await app.register(tariffsRoute, { db: deps.db })
  await app.register(measuresRoute, { db: deps.db })
  await app.register(agreementsRoute, { db: deps.db })
  await app.register(relationsRoute, { db: deps.db })
  await app.register(timelineRoute, { db: deps.db })
  await app.register(referenceRoute)
  await app.register(subscriptionsRoute, { db: deps.db, apiKeys: deps.apiKeys })
  await app.register(alertsRoute, { db: deps.db, apiKeys: deps.apiKeys })
  await app.register(alertsStreamRoute, { db: deps.db, apiKeys: deps.apiKeys, databaseUrl: deps.databaseUrl })
  return app
}
