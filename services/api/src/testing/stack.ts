import { postEvents, type ServiceProcess, startService, type TestEnvironment, testApiKey, waitFor } from '@tradewatch/test-support'
import { afterAll, beforeAll } from 'vitest'
import { lowestCheckpoint } from '../http/read-your-writes.plugin.js'

/** Every read model the api reads, by projection name. */
export const readModels = ['measures', 'measure-history', 'tariff-lines', 'agreements', 'timeline', 'relations'] as const

export interface ReadModelStack {
  ingest: ServiceProcess
  projection: ServiceProcess
  /** Records inputs through ingest; resolves with the last global position written. */
  record(inputs: readonly unknown[]): Promise<number>
  /** Until every read model has applied `position`. */
  projected(position: number, timeoutMs?: number): Promise<void>
}

/**
 * Real ingest (its relay publishes what the event store holds) and projection processes over the file's database,
 * from dist (`pnpm build` first); `load` then fills the event store, and the file's tests read the read models.
 */
export function useReadModelStack<S extends ReadModelStack>(env: TestEnvironment, load: (stack: S) => Promise<void>): S {
  const feeder = testApiKey('feeder', ['ingest'])
  const stack = {} as S
  beforeAll(async () => {
    const common = { DATABASE_URL: env.databaseUrl, NATS_URL: env.natsUrl, TRADEWATCH_PREFIX: env.prefix, API_KEYS: feeder.entry, LOG_LEVEL: 'warn' }
    // Ingest first: it provisions the streams the projection consumes.
    stack.ingest = await startService('ingest', common)
    stack.projection = await startService('projection', common)
    stack.record = async (inputs) => {
      const posted = await postEvents(stack.ingest.url, feeder.key, inputs)
      const results = (posted.body?.results ?? []) as { status: string; position?: number }[]
      const rejected = results.filter((r) => r.status === 'rejected')
      if (posted.status >= 300 || rejected.length > 0) throw new Error(`ingest refused: ${posted.status} ${JSON.stringify(rejected[0] ?? posted.body)}`)
      return Math.max(...results.map((r) => r.position ?? 0))
    }
    // Generous: under a full parallel test run the projection process shares the cores with everything else.
    stack.projected = async (position, timeoutMs = 90_000) => {
      await waitFor(`read models at position ${position}`, async () => (await lowestCheckpoint(env.db, readModels)) >= position, timeoutMs)
    }
    await load(stack)
  }, 240_000)
  afterAll(async () => {
    await Promise.all([stack.projection?.kill(), stack.ingest?.kill()])
  })
  return stack
}
