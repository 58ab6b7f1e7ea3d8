import { loadConfigOrExit } from '@tradewatch/config'
import { createDb, pingDatabase } from '@tradewatch/db'
import { createLogger } from '@tradewatch/logger'
import { exitOnStartupError, MetricsRegistry, onShutdown } from '@tradewatch/service-kit'
import { buildApp } from './app.js'
import { ApiConfig } from './config.js'

const config = loadConfigOrExit(ApiConfig, 'api')
const logger = createLogger({ service: 'api', level: config.LOG_LEVEL })

async function main() {
  const db = createDb(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'tradewatch-api' })
  let closing = false
  const app = await buildApp({
    logger,
    db,
    databaseUrl: config.DATABASE_URL,
    metrics: new MetricsRegistry(),
    apiKeys: config.API_KEYS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    rateLimit: { perSecond: config.RATE_LIMIT_PER_SECOND, burst: config.RATE_LIMIT_BURST },
    corsOrigins: config.CORS_ORIGINS,
    minPositionWaitMs: config.MIN_POSITION_WAIT_MS,
    isClosing: () => closing,
    checks: { postgres: () => pingDatabase(db) },
  })
  if (config.API_KEYS.length === 0) logger.warn('API_KEYS is empty: every query will be refused with 401')
  await app.listen({ port: config.PORT, host: config.HOST })
  onShutdown(logger, [
    ['mark not ready', () => (closing = true)],
    ['stop http', () => app.close()],
    ['close postgres', () => db.destroy()],
  ])
}

main().catch(exitOnStartupError(logger))
