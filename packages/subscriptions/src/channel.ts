import { randomBytes } from 'node:crypto'
import { storable } from '@tradewatch/domain'
import { z } from 'zod'

export const minWebhookSecretLength = 16

const webhookUrlSchema = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2048)
  .describe('https, or http for hosts the alert service allow-lists (it enforces that at delivery)')

const secretSchema = storable(z.string().min(minWebhookSecretLength, `must be at least ${minWebhookSecretLength} characters`).max(256))

/** Where a subscription's alerts go, as a client sends it: a webhook secret may be left for the server to generate. */
export const channelInputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('nats') }),
  z.strictObject({ type: z.literal('webhook'), url: webhookUrlSchema, secret: secretSchema.optional() }),
  z.strictObject({ type: z.literal('sse') }),
])
export type ChannelInput = z.infer<typeof channelInputSchema>

/** A channel as stored: a webhook always has its signing secret. */
export const channelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('nats') }),
  z.strictObject({ type: z.literal('webhook'), url: webhookUrlSchema, secret: secretSchema }),
  z.strictObject({ type: z.literal('sse') }),
])
export type Channel = z.infer<typeof channelSchema>

/** A channel as shown after creation: the secret never leaves the server again. */
export type PublicChannel = { type: 'nats' } | { type: 'webhook'; url: string } | { type: 'sse' }

/** A fresh webhook signing secret: 32 random bytes, base64url (43 characters). */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`

/** Completes a client's channel: generates the webhook secret when none was sent. */
export function completeChannel(input: ChannelInput): Channel {
  if (input.type !== 'webhook') return input
  return { type: 'webhook', url: input.url, secret: input.secret ?? generateWebhookSecret() }
}

/** Drops the secret, so nothing after creation can show it. */
export function publicChannel(channel: Channel): PublicChannel {
  return channel.type === 'webhook' ? { type: 'webhook', url: channel.url } : { type: channel.type }
}
