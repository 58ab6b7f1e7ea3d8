import { databaseEnv, httpEnv, logEnv, natsEnv, port } from '@tradewatch/config'
import { z } from 'zod'

const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback)

export const AlertConfig = z.object({
  ...databaseEnv,
  ...natsEnv,
  ...logEnv,
  ...httpEnv,
  PORT: port(8083),
  ALERT_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Attempts of one webhook delivery before it is dead-lettered. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(18),
  /** First retry waits up to this long; each later one up to twice as long as the one before (full jitter). */
  WEBHOOK_BACKOFF_BASE_MS: ms(1_000),
  WEBHOOK_BACKOFF_MAX_MS: ms(3_600_000),
  WEBHOOK_CONNECT_TIMEOUT_MS: ms(3_000),
  WEBHOOK_TIMEOUT_MS: ms(10_000),
  WEBHOOK_MAX_RESPONSE_BYTES: z.coerce.number().int().min(0).default(65_536),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(64),
  /** Look for due deliveries at least this often (retries, and alerts another process matched). */
  WEBHOOK_POLL_MS: ms(250),
  /**
   * Host names, IP addresses and CIDR ranges webhooks may reach although private or loopback
   * (comma-separated), e.g. `receiver,127.0.0.1` for a local setup. Empty: only public addresses.
   */
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
})
export type AlertConfig = z.infer<typeof AlertConfig>
