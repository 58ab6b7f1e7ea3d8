import { loadConfig } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import { createLogger } from '@tradewatch/logger'
import { MetricsRegistry } from '@tradewatch/service-kit'
import { testApiKey } from '@tradewatch/test-support'
import type { FastifyInstance } from 'fastify'
import { type ApiDeps, buildApp } from '../app.js'
import { ApiConfig } from '../config.js'

export const analyst = testApiKey('analyst', ['read'])
export const subscriber = testApiKey('subscriber', ['subscribe'])

/** The api over `db` as main builds it, with test keys and any deps overridden; `get` injects a GET with the analyst key. */
export async function testApp(db: Db, overrides: Partial<ApiDeps> = {}) {
  const config = loadConfig(ApiConfig, {
    DATABASE_URL: 'postgres://unused',
    API_KEYS: `${analyst.entry},${subscriber.entry}`,
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_BURST: '1000',
  })
  const app: FastifyInstance = await buildApp({
    logger: createLogger({ service: 'api-test', level: 'silent' }),
    db,
    metrics: new MetricsRegistry(),
    checks: {},
    apiKeys: config.API_KEYS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    rateLimit: { perSecond: config.RATE_LIMIT_PER_SECOND, burst: config.RATE_LIMIT_BURST },
    corsOrigins: config.CORS_ORIGINS,
    // Longer than the service's default: a loaded test machine may take seconds to project a write.
    minPositionWaitMs: 30_000,
    ...overrides,
  })
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await app.inject({ method: 'GET', url, headers: { 'x-api-key': analyst.key, ...headers } })
    return { status: response.statusCode, headers: response.headers, body: response.body ? (JSON.parse(response.body) as any) : undefined }
  }
  return { app, get }
}
