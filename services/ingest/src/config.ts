import { apiKeysEnv, booleanEnv, databaseEnv, httpEnv, logEnv, natsEnv, port } from '@tradewatch/config'
import { z } from 'zod'

export const IngestConfig = z.object({
  ...databaseEnv,
  ...natsEnv,
  ...logEnv,
  ...httpEnv,
  ...apiKeysEnv,
  PORT: port(8081),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(5_242_880),
  MAX_BATCH_INPUTS: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Longest single NDJSON line; a longer one is rejected, the stream goes on. */
  NDJSON_MAX_LINE_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** The relay runs beside ingest; replicas elect one active relay through Postgres. */
  RELAY_ENABLED: booleanEnv(true),
  /** JetStream's duplicate window on the events stream; exactly-once never relies on it (expected last sequence does). */
  EVENTS_DUPLICATE_WINDOW_MS: z.coerce.number().int().min(100).default(120_000),
})
export type IngestConfig = z.infer<typeof IngestConfig>
