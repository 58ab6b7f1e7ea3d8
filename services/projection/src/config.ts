import { databaseEnv, httpEnv, logEnv, natsEnv, port } from '@tradewatch/config'
import { z } from 'zod'

export const ProjectionConfig = z.object({
  ...databaseEnv,
  ...natsEnv,
  ...logEnv,
  ...httpEnv,
  PORT: port(8082),
  PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
})
export type ProjectionConfig = z.infer<typeof ProjectionConfig>
