import { apiKeysEnv, databaseEnv, httpEnv, logEnv, port } from '@tradewatch/config'
import { z } from 'zod'

export const ApiConfig = z.object({
  ...databaseEnv,
  ...logEnv,
  ...httpEnv,
  ...apiKeysEnv,
  PORT: port(8080),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(65_536),
  /** Average requests per second per API key, and the burst it may spend at once. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(50),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(100),
  /** Browser origins allowed to call the API: comma-separated, `*` for any; empty, none (no CORS headers). */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /** How long a read with `minPosition` may wait for the projections before answering 503. */
  MIN_POSITION_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
})
export type ApiConfig = z.infer<typeof ApiConfig>
