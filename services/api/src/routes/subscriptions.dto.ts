import type { SubscriptionsTable } from '@tradewatch/db'
import { type Channel, channelSchema, publicChannel } from '@tradewatch/subscriptions'
import type { Selectable } from 'kysely'

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
