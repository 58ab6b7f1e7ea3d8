import { databaseEnv, httpEnv, logEnv, natsEnv, port } from '@tradewatch/config'
import { z } from 'zod'

export const ProjectionConfig = z.object({
  ...databaseEnv,
  ...natsEnv,
  ...logEnv,
  ...httpEnv,
  PORT: port(8082),
  PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  // Batches a read model may hold uncommitted while the next is handed over (ProjectorOptions.pipelineDepth).
  PROJECTION_PIPELINE_DEPTH: z.coerce.number().int().min(0).max(16).default(2),
})
export type ProjectionConfig = z.infer<typeof ProjectionConfig>
