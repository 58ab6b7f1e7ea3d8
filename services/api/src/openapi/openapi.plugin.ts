import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { docsPage } from './docs-page.js'
import { type DocumentedRoute, openApiDocument } from './document.js'

export interface OpenApiOptions {
  title: string
  version: string
}

/**
 * Serves /openapi.json and /docs for every route registered after this plugin, from each route's `config.openapi`
 * (zod schemas). Register it first; routes added by any plugin after it are documented without further wiring.
 */
export const openApi = fp(
  async (app: FastifyInstance, info: OpenApiOptions) => {
    const routes: DocumentedRoute[] = []
    app.addHook('onRoute', (options) => {
      const methods = Array.isArray(options.method) ? options.method : [options.method]
      for (const method of methods) {
        // HEAD is fastify's automatic twin of each GET.
        if (method === 'HEAD') continue
        const config = options.config ?? {}
        routes.push({ method, url: options.url, scope: config.scope, projections: config.projections, cache: config.cache, doc: config.openapi })
      }
    })
    // Every route is registered by the time the app is ready; until then there is nothing to serve.
    let document: Record<string, unknown> = {}
    let page = ''
    app.addHook('onReady', async () => {
      document = openApiDocument(routes, info)
      page = docsPage(document)
    })
    app.get(
      '/openapi.json',
      { config: { openapi: { summary: 'This OpenAPI 3.1 document', tags: ['operations'], responses: { 200: { description: 'OpenAPI 3.1' } } } } },
      async () => document,
    )
    app.get(
      '/docs',
      { config: { openapi: { summary: 'This API, browsable (HTML, self-contained)', tags: ['operations'], responses: { 200: { description: 'HTML' } } } } },
      async (_request, reply) => reply.type('text/html; charset=utf-8').send(page),
    )
  },
  { name: 'tradewatch-openapi' },
)
