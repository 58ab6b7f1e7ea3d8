import type { FastifyInstance } from 'fastify'
import type { MetricsRegistry } from './metrics.js'

/** Named readiness checks: each answers whether that dependency can serve now. */
export type ReadinessChecks = Record<string, () => Promise<boolean> | boolean>

export interface HealthOptions {
  metrics: MetricsRegistry
  checks: ReadinessChecks
  /** Set once SIGTERM arrives, so load balancers stop sending before the drain. */
  isClosing?: () => boolean
}

/** GET /healthz (the process lives), /readyz (its dependencies answer), /metrics (Prometheus). */
export async function healthRoutes(app: FastifyInstance, { metrics, checks, isClosing }: HealthOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    const results: Record<string, boolean> = {}
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          results[name] = await check()
        } catch {
          results[name] = false
        }
      }),
    )
    const ready = !isClosing?.() && Object.values(results).every(Boolean)
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: results })
  })
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send(metrics.render()))
}
