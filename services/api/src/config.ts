import { apiKeysEnv, databaseEnv, httpEnv, logEnv, port } from '@tradewatch/config'
import { z } from 'zod'

export const ApiConfig = z.object({
  ...databaseEnv,
  ...logEnv,
  ...httpEnv,
  ...apiKeysEnv,
  PORT: port(8080),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(65_536),
})
export type ApiConfig = z.infer<typeof ApiConfig>
