import { createEventStore, readCheckpoint, startRelay } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { rebuildProjections, startProjector } from '@tradewatch/projector'
import { compareTables, generateHistory, tableRows, toNewEvent, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { describe, expect, it } from 'vitest'
import { readModels } from './read-models.js'

// Live read models fed batch by batch, as they arrive, against a rebuild in large batches from
// the store: on a generated history with late facts, corrections and thousands of aggregates,
// any dependence on how events fall into batches shows as a row that differs.
const env = useTestEnvironment()
const logger = createLogger({ service: 'rebuild-generated-test', level: process.env.LOG_LEVEL ?? 'silent' })
const seed = Number(process.env.HISTORY_SEED ?? 20261130)
const total = 10_000
const tables = readModels.flatMap((p) => p.tables)

describe('rebuild equivalence on a generated history', () => {
  it(`given ${total.toLocaleString('en')} decider-valid events projected live, when every read model is rebuilt, then the tables are identical`, {
    timeout: 600_000,
  }, async () => {
    const history = generateHistory({ seed, events: total })
    const store = createEventStore({ db: env.db })
    const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 20 })
    // Small live batches while the history is still being written: the batches fall where they may.
    const projectors = await Promise.all(
      readModels.map((projection) =>
        startProjector({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, projection, batchSize: 100 }),
      ),
    )
    try {
      for (let from = 0; from < total; from += 500)
        await Promise.all(
          history.events
            .slice(from, from + 500)
            .map((e) =>
              store.append({ aggregateType: e.aggregateType, aggregateId: e.aggregateId }, [toNewEvent(e)], { expectedVersion: e.aggregateVersion - 1 }),
            ),
        )
      const caughtUp = async () => {
        for (const p of readModels) if ((await readCheckpoint(env.db, p.name)) !== total) return false
        return true
      }
      await waitFor('live read models at the head', caughtUp, 480_000)
    } finally {
      await Promise.all(projectors.map((p) => p.stop()))
      await relay.stop()
      await store.close()
    }
    const { count } = await env.db
      .selectFrom('dead_letters')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow()
    expect(Number(count)).toBe(0)
    const live = await tableRows(env.databaseUrl, tables)
    expect(live.tariff_lines?.length).toBeGreaterThan(1_000)

    const reports = await rebuildProjections({ db: env.db, projections: readModels, logger, batchSize: 2_000 })
    expect(reports.map((r) => r.position)).toEqual(readModels.map(() => total))

    expect(compareTables(live, await tableRows(env.databaseUrl, tables))).toEqual([])
  })
})
