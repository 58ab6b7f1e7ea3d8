import { randomBytes } from 'node:crypto'
import type { ApiKeyEntry } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import { aggregateIdSchema, storable } from '@tradewatch/domain'
import { HttpProblem, parseRequest, problem } from '@tradewatch/service-kit'
import { type Channel, type ChannelInput, channelInputSchema, completeChannel, subscriptionFilterSchema } from '@tradewatch/subscriptions'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { sql } from 'kysely'
import { z } from 'zod'
import { cursorParam, limitParam, pageOf, toPage } from '../http/pagination.js'
import type { RouteDoc } from '../openapi/route-spec.js'
import { etagOf, storedChannel, subscriptionDto, subscriptionSchema, subscriptionWithSecretSchema, withSecret } from './subscriptions.dto.js'
import { callerOf, visibleTo } from './subscriptions-access.js'

export const createSubscriptionBody = z.strictObject({
  name: storable(z.string().trim().min(1).max(200)),
  filter: subscriptionFilterSchema.default({}),
  channel: channelInputSchema,
  active: z.boolean().default(true),
})

export const patchSubscriptionBody = z
  .strictObject({
    name: storable(z.string().trim().min(1).max(200)).optional(),
    /** Replaces the whole filter. */
    filter: subscriptionFilterSchema.optional(),
    /** Replaces the channel; a webhook sent without a secret keeps the current one (or gets a new one, shown once). */
    channel: channelInputSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of name, filter, channel, active' })

export const subscriptionParams = z.strictObject({ id: aggregateIdSchema })

export const listSubscriptionsQuery = z.strictObject({
  limit: limitParam(),
  cursor: cursorParam(z.tuple([aggregateIdSchema])).optional(),
})

/** `If-Match: "3"` (or W/"3") → 3; absent or `*` → undefined (no precondition). */
const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^(\*|(W\/)?"\d+")$/, 'must be the ETag of the subscription, e.g. "3"')
    .transform((value) => (value === '*' ? undefined : Number(value.replace(/\D/g, ''))))
    .optional(),
})

/**
 * Time-ordered ids (UUID v7 layout: 48 bits of milliseconds, then random), so listing by id
 * lists by creation and the id is a stable keyset cursor. Subject-safe: alerts go to `trade.alerts.<id>`.
 */
export function newSubscriptionId(now = Date.now()): string {
  const bytes = randomBytes(16)
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A changed channel: a webhook sent without a secret keeps the current webhook's secret, or gets a generated one. */
function nextChannel(input: ChannelInput, before: Channel | undefined): { channel: Channel; generated: boolean } {
  if (input.type !== 'webhook' || input.secret) return { channel: completeChannel(input), generated: false }
  if (before?.type === 'webhook') return { channel: { type: 'webhook', url: input.url, secret: before.secret }, generated: false }
  return { channel: completeChannel(input), generated: true }
}

const notFound = (id: string) =>
  new HttpProblem(problem(404, 'SUBSCRIPTION_NOT_FOUND', 'Subscription not found', { detail: `no subscription ${id} for this API key` }))
const versionMismatch = (expected: number, found: number) =>
  new HttpProblem(problem(412, 'SUBSCRIPTION_VERSION_MISMATCH', 'Subscription changed', { detail: `If-Match expected version ${expected}, found ${found}` }))

const location = (id: string) => `/v1/subscriptions/${id}`
const withEtag = (reply: FastifyReply, version: number) => reply.header('etag', etagOf(version))

/**
 * Subscriptions: scope `subscribe`. Each key sees and changes only its own (admin keys: all).
 * The alert service reads subscriptions in each batch's transaction, so a change here applies
 * to the next batch it matches. A webhook secret is shown once, in the answer that set it.
 */
export async function subscriptionsRoute(app: FastifyInstance, { db, apiKeys }: { db: Db; apiKeys: readonly ApiKeyEntry[] }): Promise<void> {
  const doc = (route: Omit<RouteDoc, 'tags'>) => ({ scope: 'subscribe' as const, openapi: { ...route, tags: ['subscriptions'] } })
  const ifMatch = 'Send `If-Match` with the ETag you read to refuse a change made since (412).'

  const create = doc({
    summary: 'Create a subscription for this API key',
    description: 'A webhook secret left out is generated; this answer is the only one that shows it.',
    body: createSubscriptionBody,
    responses: { 201: { description: 'created; Location and ETag set', schema: subscriptionWithSecretSchema } },
    problems: [400],
  })
  app.post('/v1/subscriptions', { config: create }, async (request, reply) => {
    const caller = callerOf(request, apiKeys)
    const body = parseRequest(createSubscriptionBody, request.body, 'body')
    const channel = completeChannel(body.channel)
    const row = await db
      .insertInto('subscriptions')
      .values({
        subscription_id: newSubscriptionId(),
        name: body.name,
        owner: caller.name,
        filter: JSON.stringify(body.filter),
        channel: JSON.stringify(channel),
        active: body.active,
        deleted_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    request.log.info({ subscriptionId: row.subscription_id, owner: caller.name, channelType: channel.type }, 'subscription created')
    return withEtag(reply.code(201).header('location', location(row.subscription_id)), row.version).send(withSecret(subscriptionDto(row), channel))
  })

  const list = doc({
    summary: "This key's subscriptions (admin keys: all), oldest first",
    query: listSubscriptionsQuery,
    responses: { 200: { description: 'one page', schema: pageOf(subscriptionSchema) } },
  })
  app.get('/v1/subscriptions', { config: list }, async (request) => {
    const caller = callerOf(request, apiKeys)
    const query = parseRequest(listSubscriptionsQuery, request.query, 'query')
    let select = visibleTo(db.selectFrom('subscriptions').selectAll(), caller)
    if (query.cursor) select = select.where('subscription_id', '>', query.cursor[0])
    const rows = await select
      .orderBy('subscription_id')
      .limit(query.limit + 1)
      .execute()
    return toPage(rows, query.limit, (row) => [row.subscription_id], subscriptionDto)
  })

  const one = doc({
    summary: 'One subscription',
    params: subscriptionParams,
    responses: { 200: { description: 'the subscription; ETag is its version', schema: subscriptionSchema }, 304: { description: 'If-None-Match matched' } },
    problems: [404],
  })
  app.get('/v1/subscriptions/:id', { config: one }, async (request, reply) => {
    const caller = callerOf(request, apiKeys)
    const { id } = parseRequest(subscriptionParams, request.params, 'params')
    const row = await visibleTo(db.selectFrom('subscriptions').selectAll(), caller).where('subscription_id', '=', id).executeTakeFirst()
    if (!row) throw notFound(id)
    if (request.headers['if-none-match'] === etagOf(row.version)) return withEtag(reply.code(304), row.version).send()
    return withEtag(reply, row.version).send(subscriptionDto(row))
  })

  const change = doc({
    summary: 'Change a subscription: the fields sent replace the stored ones',
    description: `Takes effect on the alert service's next batch. ${ifMatch} A webhook sent without a secret keeps the current one, or gets a generated one shown in this answer only.`,
    params: subscriptionParams,
    headers: ifMatchHeaders,
    body: patchSubscriptionBody,
    responses: { 200: { description: 'the changed subscription', schema: subscriptionWithSecretSchema } },
    problems: [400, 404, 412],
  })
  app.patch('/v1/subscriptions/:id', { config: change }, async (request, reply) => {
    const caller = callerOf(request, apiKeys)
    const { id } = parseRequest(subscriptionParams, request.params, 'params')
    const { 'if-match': expected } = parseRequest(ifMatchHeaders, request.headers, 'headers')
    const body = parseRequest(patchSubscriptionBody, request.body, 'body')
    const { row, newSecret } = await db.transaction().execute(async (trx) => {
      const current = await visibleTo(trx.selectFrom('subscriptions').selectAll(), caller).where('subscription_id', '=', id).forUpdate().executeTakeFirst()
      if (!current) throw notFound(id)
      if (expected !== undefined && expected !== current.version) throw versionMismatch(expected, current.version)
      const next = body.channel && nextChannel(body.channel, storedChannel(current))
      const channel = next?.channel
      const row = await trx
        .updateTable('subscriptions')
        .set({
          ...(body.name !== undefined && { name: body.name }),
          ...(body.filter !== undefined && { filter: JSON.stringify(body.filter) }),
          ...(channel !== undefined && { channel: JSON.stringify(channel) }),
          ...(body.active !== undefined && { active: body.active }),
          version: sql`version + 1`,
          updated_at: sql`now()`,
        })
        .where('subscription_id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow()
      return { row, newSecret: next?.generated ? channel : undefined }
    })
    request.log.info({ subscriptionId: id, owner: caller.name, changed: Object.keys(body) }, 'subscription changed')
    const dto = subscriptionDto(row)
    return withEtag(reply, row.version).send(newSecret ? withSecret(dto, newSecret) : dto)
  })

  const remove = doc({
    summary: 'Delete a subscription',
    description: `It stops matching at once; its alert history stays readable. ${ifMatch}`,
    params: subscriptionParams,
    headers: ifMatchHeaders,
    responses: { 204: { description: 'deleted' } },
    problems: [404, 412],
  })
  app.delete('/v1/subscriptions/:id', { config: remove }, async (request, reply) => {
    const caller = callerOf(request, apiKeys)
    const { id } = parseRequest(subscriptionParams, request.params, 'params')
    const { 'if-match': expected } = parseRequest(ifMatchHeaders, request.headers, 'headers')
    await db.transaction().execute(async (trx) => {
      const current = await visibleTo(trx.selectFrom('subscriptions').select(['version']), caller)
        .where('subscription_id', '=', id)
        .forUpdate()
        .executeTakeFirst()
      if (!current) throw notFound(id)
      if (expected !== undefined && expected !== current.version) throw versionMismatch(expected, current.version)
      // Soft delete: the alert service stops matching it (active), its alert history stays readable.
      await trx
        .updateTable('subscriptions')
        .set({ deleted_at: sql`now()`, active: false, version: sql`version + 1`, updated_at: sql`now()` })
        .where('subscription_id', '=', id)
        .execute()
    })
    request.log.info({ subscriptionId: id, owner: caller.name }, 'subscription deleted')
    return reply.code(204).send()
  })
}
