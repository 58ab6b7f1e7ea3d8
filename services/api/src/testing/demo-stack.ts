import { type DemoEventInput, readDemoEvents } from '@tradewatch/demo-data'
import { postEvents, type ServiceProcess, startService, type TestEnvironment, testApiKey, waitFor } from '@tradewatch/test-support'
import { afterAll, beforeAll } from 'vitest'
import { lowestCheckpoint } from '../http/read-your-writes.plugin.js'

/** Every read model the api reads, by projection name. */
export const readModels = ['measures', 'measure-history', 'tariff-lines', 'agreements', 'timeline', 'relations'] as const

export interface DemoStack {
  ingest: ServiceProcess
  projection: ServiceProcess
  /** The ingest key. */
  feederKey: string
  /** An instant after the first part of the demo data was recorded and before the rest (the EV surtax's revocation on). */
  recordedBeforeRevocation: string
  /** Records inputs through ingest; resolves with the last global position written. */
  record(inputs: readonly unknown[]): Promise<number>
  /** Until every read model has applied `position`. */
  projected(position: number): Promise<void>
}

const isRevocation = (input: DemoEventInput) => input.type === 'MeasureRevoked' && input.measureId === 'ca-cn-ev-surtax'

/**
 * Real ingest and projection processes (from dist: `pnpm build` first) over the file's database, with the demo data
 * recorded in two parts, so knowledge time has a before and after the EV surtax's revocation was recorded.
 */
export function useDemoStack(env: TestEnvironment): DemoStack {
  const feeder = testApiKey('feeder', ['ingest'])
  const stack = { feederKey: feeder.key } as DemoStack
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
    stack.projected = async (position) => {
      await waitFor(`read models at position ${position}`, async () => (await lowestCheckpoint(env.db, readModels)) >= position, 30_000)
    }
    const demo = readDemoEvents()
    const cut = demo.findIndex(isRevocation)
    await stack.record(demo.slice(0, cut))
    stack.recordedBeforeRevocation = new Date().toISOString()
    // Knowledge time is the recording instant: make sure the second part is recorded strictly later.
    await waitFor('the clock to move on', () => new Date().toISOString() > stack.recordedBeforeRevocation)
    await stack.projected(await stack.record(demo.slice(cut)))
  }, 120_000)
  afterAll(async () => {
    await Promise.all([stack.projection?.kill(), stack.ingest?.kill()])
  })
  return stack
}
