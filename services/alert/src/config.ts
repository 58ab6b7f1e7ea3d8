import { databaseEnv, httpEnv, logEnv, natsEnv, port } from '@tradewatch/config'
import { z } from 'zod'

export const AlertConfig = z.object({
  ...databaseEnv,
  ...natsEnv,
  ...logEnv,
  ...httpEnv,
  PORT: port(8083),
  ALERT_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** How often subscriptions are re-read, so changes apply without a restart. */
  SUBSCRIPTION_REFRESH_MS: z.coerce.number().int().min(50).default(500),
})
export type AlertConfig = z.infer<typeof AlertConfig>
