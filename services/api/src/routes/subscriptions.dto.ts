import type { SubscriptionsTable } from '@tradewatch/db'
import { type Channel, channelSchema, publicChannel, subscriptionFilterSchema } from '@tradewatch/subscriptions'
import type { Selectable } from 'kysely'
import { z } from 'zod'

const publicChannelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('nats') }).describe('published to trade.alerts.<subscription id> in the durable alerts stream'),
  z.object({ type: z.literal('webhook'), url: z.string() }).describe('signed JSON POST; the secret is shown only when set'),
  z.object({ type: z.literal('sse') }).describe('GET /v1/alerts/stream?subscription=<id>'),
])

/** A subscription as answered (OpenAPI). */
export const subscriptionSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string().nullable().describe('the API key name that created it'),
  filter: subscriptionFilterSchema,
  channel: publicChannelSchema,
  active: z.boolean().describe('false: paused (or deleted); the alert service matches only active subscriptions'),
  version: z.number().int().describe('bumped on every change; the ETag'),
  createdAt: z.string(),
  updatedAt: z.string(),
})

/** The answer that set a webhook secret: the only one that shows it. */
export const subscriptionWithSecretSchema = subscriptionSchema.extend({
  channel: z.union([
    publicChannelSchema,
    z.object({ type: z.literal('webhook'), url: z.string(), secret: z.string().describe('shown once; store it to verify signatures') }),
  ]),
})

/** The HTTP shape of a subscription. The webhook secret is never part of it (see `withSecret`). */
export function subscriptionDto(row: Selectable<SubscriptionsTable>) {
  const channel = channelSchema.safeParse(row.channel)
  return {
    id: row.subscription_id,
    name: row.name,
    owner: row.owner,
    filter: row.filter as Record<string, unknown>,
    // A row written outside the API with a channel this version cannot read shows only its type.
    channel: channel.success ? publicChannel(channel.data) : { type: String((row.channel as { type?: unknown } | null)?.type ?? 'unknown') },
    active: row.active,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}
export type SubscriptionDto = ReturnType<typeof subscriptionDto>

/** The stored channel, with its secret: for the server's own use, never for an answer. */
export const storedChannel = (row: Selectable<SubscriptionsTable>): Channel | undefined => channelSchema.safeParse(row.channel).data

/** The one kind of answer that shows a webhook secret: the one that set it. */
export function withSecret(dto: SubscriptionDto, channel: Channel) {
  return channel.type === 'webhook' ? { ...dto, channel: { ...dto.channel, secret: channel.secret } } : dto
}

/** Strong ETag from the row version, e.g. `"3"`. */
export const etagOf = (version: number) => `"${version}"`
