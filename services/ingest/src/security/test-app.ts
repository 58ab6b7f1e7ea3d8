import { apiKeysEnv, loadConfig } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import { createEventStore } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { MetricsRegistry } from '@tradewatch/service-kit'
import { z } from 'zod'
import { buildApp } from '../app.js'
import { createRecording } from '../recording/record-batch.js'

/** Ingest over `db` with these API_KEYS entries and small limits, silent, for inject(); close both when done. */
export async function securityTestApp(db: Db, keyEntries: readonly string[]) {
  const store = createEventStore({ db })
  const app = await buildApp({
    logger: createLogger({ service: 'ingest', level: 'silent' }),
    recording: createRecording(store),
    metrics: new MetricsRegistry(),
    checks: {},
    apiKeys: loadConfig(z.object(apiKeysEnv), { API_KEYS: keyEntries.join(',') }).API_KEYS,
    bodyLimit: 64 * 1024,
    maxBatchInputs: 10,
    maxLineBytes: 8 * 1024,
  })
  return { app, store }
}
