import { z } from 'zod'
import type { RouteDoc } from './route-spec.js'

/** A registered route as the OpenAPI plugin saw it. */
export interface DocumentedRoute {
  method: string
  url: string
  scope?: string
  projections?: readonly string[]
  cache?: string
  doc?: RouteDoc
}

type JsonSchema = Record<string, unknown>

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema
  return rest
}

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'stable machine code, e.g. INVALID_REQUEST' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      description: 'for a 400: each failing field, by JSON Pointer (e.g. /query/hs)',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
}

const problemDescriptions: Record<number, string> = {
  304: 'Not modified: the If-None-Match ETag is current',
  400: 'Invalid request: `errors` names each failing field',
  401: 'No API key, or an unknown one',
  403: 'The API key lacks the route’s scope',
  404: 'Not found',
  413: 'Body too large',
  429: 'Rate limit of the API key reached; see Retry-After',
  500: 'Internal error (logged with the request id)',
  503: 'Not ready, or the read models did not reach minPosition in time; see Retry-After',
}

/** `/v1/measures/:id` → `/v1/measures/{id}`. */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

function parameters(route: DocumentedRoute): JsonSchema[] {
  const doc = route.doc
  const list: JsonSchema[] = []
  for (const [where, schema] of [
    ['path', doc?.params],
    ['query', doc?.query],
    ['header', doc?.headers],
  ] as const) {
    if (!schema) continue
    const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property
      list.push({
        name,
        in: where,
        required: where === 'path' || (object.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      })
    }
  }
  if (route.projections?.length) {
    list.push({
      name: 'x-min-position',
      in: 'header',
      required: false,
      description: 'the same as the minPosition query field',
      schema: { type: 'integer', minimum: 0 },
    })
  }
  return list
}

function operation(route: DocumentedRoute): JsonSchema {
  const doc = route.doc
  const responses: Record<string, JsonSchema> = {}
  for (const [status, response] of Object.entries(doc?.responses ?? { 200: { description: 'OK' } })) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: jsonSchema(response.schema, 'output') } } } : {}),
    }
  }
  const statuses = new Set([...(doc?.problems ?? []), 500])
  if (route.scope) for (const s of [401, 403, 429]) statuses.add(s)
  if (route.projections?.length) for (const s of [400, 503]) statuses.add(s)
  if (route.cache) statuses.add(304)
  if (doc?.query || doc?.params) statuses.add(400)
  for (const status of [...statuses].sort()) {
    responses[String(status)] = { $ref: `#/components/responses/Problem${status}` }
  }
  return {
    operationId: `${route.method.toLowerCase()}${route.url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: doc?.summary ?? `${route.method} ${route.url}`,
    ...(doc?.description ? { description: doc.description } : {}),
    tags: doc?.tags ?? ['operations'],
    parameters: parameters(route),
    ...(doc?.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } } } } : {}),
    ...(route.scope ? { security: [{ apiKey: [] }, { bearer: [] }], 'x-scope': route.scope } : { security: [] }),
    responses,
  }
}

/** The OpenAPI 3.1 document of `routes`, from the zod schemas they validate with. */
export function openApiDocument(routes: readonly DocumentedRoute[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const route of [...routes].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))) {
    const path = openApiPath(route.url)
    paths[path] ??= {}
    ;(paths[path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operation(route)
  }
  const problemResponses: Record<string, JsonSchema> = {}
  for (const [status, description] of Object.entries(problemDescriptions)) {
    problemResponses[`Problem${status}`] =
      status === '304' ? { description } : { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description: 'Tradewatch query API: the read models of trade measures, tariffs, agreements, relations and the timeline.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Problem: problemSchema },
      responses: problemResponses,
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  }
}
