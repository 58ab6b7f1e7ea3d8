import { randomUUID } from 'node:crypto'
import { advanceCheckpoint, createEventStore, deadLetter } from '@tradewatch/event-store'
import { useTestEnvironment } from '@tradewatch/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './testing/run-cli.js'

const env = useTestEnvironment()
const cli = (args: string[]) => runCli(['projections', 'status', ...args], { DATABASE_URL: env.databaseUrl, NATS_URL: env.natsUrl })

beforeAll(async () => {
  const store = createEventStore({ db: env.db })
  await store.append(
    { aggregateType: 'measure', aggregateId: 'status-1' },
    Array.from({ length: 12 }, (_, n) => ({
      type: 'MeasureEnteredIntoForce',
      data: {},
      metadata: {
        occurredAt: '2026-01-16',
        effectiveAt: null,
        source: { kind: 'news', url: `https://example.org/${n}`, title: 'Test' },
        correlationId: randomUUID(),
        causationId: null,
      },
    })),
  )
  await store.close()
  await env.db.transaction().execute(async (trx) => {
    await advanceCheckpoint(trx, 'measures', 0, 12)
    await advanceCheckpoint(trx, 'tariff-lines', 0, 7)
    for (const [position, reason] of [
      [3, 'first failure'],
      [5, "Cannot read properties of undefined (reading 'rate')"],
    ] as const)
      await deadLetter(trx, { consumer: 'tariff-lines', position, reason, attempts: 4, payload: { position } })
  })
})

describe('tradewatch projections status', () => {
  it('prints each checkpoint, the head, the lag and the dead letters as JSON', async () => {
    const run = await cli(['--json'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual([
      { name: 'measures', checkpoint: 12, head: 12, lag: 0, deadLetters: 0, lastDeadLetterReason: null },
      { name: 'tariff-lines', checkpoint: 7, head: 12, lag: 5, deadLetters: 2, lastDeadLetterReason: "Cannot read properties of undefined (reading 'rate')" },
    ])
  })

  it('prints a table by default', async () => {
    const run = await cli([])
    expect(run.code).toBe(0)
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'NAME          CHECKPOINT  HEAD  LAG  DEAD LETTERS  LAST DEAD LETTER',
      'measures              12    12    0             0  -',
      "tariff-lines           7    12    5             2  Cannot read properties of undefined (reading 'rate')",
    ])
  })

  it('rejects an unknown subcommand as a usage error', async () => {
    const run = await cli(['extra'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('usage: projections status [--json]')
  })
})
