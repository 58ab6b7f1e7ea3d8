/** The headers every Tradewatch webhook carries (lower case, as Node and most frameworks expose them). */
export const webhookHeaders = {
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
  signature: 'x-tradewatch-signature',
  /** The alert id: the same on every retry of one alert, so a receiver can drop repeats. */
  idempotencyKey: 'x-tradewatch-idempotency-key',
} as const
