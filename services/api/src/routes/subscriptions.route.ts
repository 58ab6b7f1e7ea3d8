import { randomBytes } from 'node:crypto'
import type { ApiKeyEntry } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import { aggregateIdSchema } from '@tradewatch/domain'
import { HttpProblem, parseRequest, problem } from '@tradewatch/service-kit'
import { type Channel, type ChannelInput, channelInputSchema, completeChannel, subscriptionFilterSchema } from '@tradewatch/subscriptions'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { sql } from 'kysely'
import { z } from 'zod'
import { etagOf, storedChannel, subscriptionDto, withSecret } from './subscriptions.dto.js'
import { callerOf, visibleTo } from './subscriptions-access.js'

export const createSubscriptionBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  filter: subscriptionFilterSchema.default({}),
  channel: channelInputSchema,
  active: z.boolean().default(true),
})

export const patchSubscriptionBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    /** Replaces the whole filter. */
    filter: subscriptionFilterSchema.optional(),
    /** Replaces the channel; a webhook sent without a secret keeps the current one (or gets a new one, shown once). */
    channel: channelInputSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of name, filter, channel, active' })

export const subscriptionParams = z.strictObject({ id: aggregateIdSchema })

export const listSubscriptionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: aggregateIdSchema.optional(),
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
  const scope = { scope: 'subscribe' } as const

  app.post('/v1/subscriptions', { config: scope }, async (request, reply) => {
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

  app.get('/v1/subscriptions', { config: scope }, async (request) => {
    const caller = callerOf(request, apiKeys)
    const query = parseRequest(listSubscriptionsQuery, request.query, 'query')
    let select = visibleTo(db.selectFrom('subscriptions').selectAll(), caller)
    if (query.cursor) select = select.where('subscription_id', '>', query.cursor)
    const rows = await select
      .orderBy('subscription_id')
      .limit(query.limit + 1)
      .execute()
    const page = rows.slice(0, query.limit)
    return { items: page.map(subscriptionDto), nextCursor: rows.length > query.limit ? (page.at(-1)?.subscription_id ?? null) : null }
  })

  app.get('/v1/subscriptions/:id', { config: scope }, async (request, reply) => {
    const caller = callerOf(request, apiKeys)
    const { id } = parseRequest(subscriptionParams, request.params, 'params')
    const row = await visibleTo(db.selectFrom('subscriptions').selectAll(), caller).where('subscription_id', '=', id).executeTakeFirst()
    if (!row) throw notFound(id)
    if (request.headers['if-none-match'] === etagOf(row.version)) return withEtag(reply.code(304), row.version).send()
    return withEtag(reply, row.version).send(subscriptionDto(row))
  })

  app.patch('/v1/subscriptions/:id', { config: scope }, async (request, reply) => {
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

  app.delete('/v1/subscriptions/:id', { config: scope }, async (request, reply) => {
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
