import { timingSafeEqual } from 'node:crypto'
import { signatureOf } from './sign.js'

export const verifyFailures = ['MISSING_HEADER', 'MALFORMED_HEADER', 'TIMESTAMP_OUT_OF_TOLERANCE', 'SIGNATURE_MISMATCH'] as const
export type VerifyFailure = (typeof verifyFailures)[number]

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; code: VerifyFailure }

export interface VerifyWebhookOptions {
  secret: string
  /** The `x-tradewatch-signature` header as received. */
  header: string | undefined | null
  /** The raw request body, byte for byte as received (not re-serialised JSON). */
  body: string
  /** How old (or how far in the future) the signed timestamp may be; default 300 s. */
  toleranceSeconds?: number
  /** Unix seconds now; for tests. */
  now?: number
}

const headerPattern = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/

/**
 * Checks a webhook's signature: the header parses, its timestamp is within the tolerance, and its
 * HMAC matches (compared in constant time). Returns why it failed rather than throwing, so a
 * receiver can log the reason and answer 400/401.
 */
export function verifyWebhook(options: VerifyWebhookOptions): VerifyResult {
  const { secret, header, body, toleranceSeconds = 300 } = options
  if (!header) return { ok: false, code: 'MISSING_HEADER' }
  const match = headerPattern.exec(header.trim())
  if (!match) return { ok: false, code: 'MALFORMED_HEADER' }
  const timestamp = Number(match[1])
  const now = options.now ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - timestamp) > toleranceSeconds) return { ok: false, code: 'TIMESTAMP_OUT_OF_TOLERANCE' }
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex')
  const given = Buffer.from(match[2] as string, 'hex')
  if (!timingSafeEqual(expected, given)) return { ok: false, code: 'SIGNATURE_MISMATCH' }
  return { ok: true, timestamp }
}
