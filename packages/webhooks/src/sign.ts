import { createHmac } from 'node:crypto'

/** The hex HMAC-SHA256 of `${timestamp}.${body}` under `secret`. */
export const signatureOf = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')

/**
 * The `x-tradewatch-signature` header value for `body` sent at `timestamp` (unix seconds):
 * `t=<timestamp>,v1=<hex>`. The timestamp is signed with the body, so a captured request cannot be
 * replayed later with a fresh timestamp.
 */
export function signWebhook(options: { secret: string; body: string; timestamp?: number }): string {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  return `t=${timestamp},v1=${signatureOf(options.secret, timestamp, options.body)}`
}
