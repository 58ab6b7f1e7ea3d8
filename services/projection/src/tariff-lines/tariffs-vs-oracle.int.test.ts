import { type EventEnvelope, parseEnvelope, type RawEnvelope } from '@tradewatch/domain'
import { createEventStore, readCheckpoint, startRelay } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { startProjector } from '@tradewatch/projector'
import { type AppliedTariff, tariffsAt } from '@tradewatch/queries'
import {
  type GeneratedHistory,
  generateHistory,
  type TariffAnswer,
  tariffQuestions,
  tariffsFromEvents,
  toNewEvent,
  useTestEnvironment,
  waitFor,
} from '@tradewatch/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { tariffLinesProjection } from './tariff-lines.projection.js'

const env = useTestEnvironment()
const logger = createLogger({ service: 'tariffs-vs-oracle', level: process.env.LOG_LEVEL ?? 'silent' })
// HISTORY_SEED replays another history, e.g. one a failure was seen on.
const seed = Number(process.env.HISTORY_SEED ?? 20261129)
const total = 10_000
const questionCount = 400

let history: GeneratedHistory
let stored: RawEnvelope[] = []
let parsed: EventEnvelope[] = []

beforeAll(async () => {
  history = generateHistory({ seed, events: total })
  const store = createEventStore({ db: env.db })
  // Submitted in order without waiting: the group committer writes them in that order, many to a transaction.
  await Promise.all(
    history.events.map((e) =>
      store.append({ aggregateType: e.aggregateType, aggregateId: e.aggregateId }, [toNewEvent(e)], { expectedVersion: e.aggregateVersion - 1 }),
    ),
  )
  await store.close()
  for (let after = 0; after < total; after = stored.length) stored = [...stored, ...(await store.readAll({ after, limit: 2_000 }))]
  parsed = stored.map(parseEnvelope)
  const relay = await startRelay({ db: env.db, databaseUrl: env.databaseUrl, nc: env.nc, prefix: env.prefix, logger, pollIntervalMs: 100 })
  await waitFor('relay published the history', () => relay.status().publishedPosition === total, 60_000)
  await relay.stop()
  const projector = await startProjector({
    db: env.db,
    databaseUrl: env.databaseUrl,
    nc: env.nc,
    prefix: env.prefix,
    logger,
    projection: tariffLinesProjection,
  })
  await waitFor('tariff-lines at the head', async () => (await readCheckpoint(env.db, tariffLinesProjection.name)) === total, 120_000)
  await projector.stop()
}, 240_000)

/** One measure's answer, reduced to what both sides state: whether it covers the whole code, and at what percent. */
interface Seen {
  measureId: string
  coverage: 'whole' | 'part'
  percent: number | null
}

/** The read model's answer: per measure, the most specific line on the code or above it (a named origin beats '*'). */
function fromProjection(hs: string, lines: readonly AppliedTariff[]): Seen[] {
  const ids = [...new Set(lines.map((l) => l.measureId))].sort()
  return ids.map((measureId) => {
    const covering = lines
      .filter((l) => l.measureId === measureId && hs.startsWith(l.hsPrefix))
      .sort((a, b) => b.hsPrefix.length - a.hsPrefix.length || Number(a.origin === '*') - Number(b.origin === '*'))[0]
    return covering ? { measureId, coverage: 'whole', percent: covering.ratePercent } : { measureId, coverage: 'part', percent: null }
  })
}

function fromOracle(answer: TariffAnswer): Seen[] {
  return answer.tariffs.map((t) =>
    t.coverage === 'whole'
      ? { measureId: t.measureId, coverage: 'whole', percent: t.appliedRate?.type === 'ad_valorem' ? t.appliedRate.percent : null }
      : { measureId: t.measureId, coverage: 'part', percent: null },
  )
}

describe(`tariff lines against the oracle on a ${total}-event generated history (seed ${seed})`, () => {
  it('stores the history as generated: positions, ids and knowledge times', () => {
    expect(stored.map((e) => [e.position, e.id, new Date(e.recordedAt).toISOString()])).toEqual(history.events.map((e) => [e.position, e.id, e.recordedAt]))
  })

  it(`answers ${questionCount} random (imposer, origin, hs, asOf, knownAt) questions as the oracle does`, async () => {
    const disagreements: unknown[] = []
    let answered = 0
    let exempted = 0
    for (const question of tariffQuestions(history, { seed, count: questionCount })) {
      const projection = new Map(fromProjection(question.hs, await tariffsAt(env.db, question)).map((s) => [s.measureId, s]))
      const answer = tariffsFromEvents(parsed, question)
      const oracle = new Map(fromOracle(answer).map((s) => [s.measureId, s]))
      if (oracle.size > 0) answered++
      if (answer.tariffs.some((t) => t.coverage === 'whole' && t.exemptionId !== null)) exempted++
      for (const measureId of new Set([...projection.keys(), ...oracle.keys()])) {
        const [p, o] = [projection.get(measureId) ?? null, oracle.get(measureId) ?? null]
        if (JSON.stringify(p) !== JSON.stringify(o)) disagreements.push({ question, measureId, projection: p, oracle: o })
      }
    }
    expect({ disagreements: disagreements.length, first: disagreements.slice(0, 3) }).toEqual({ disagreements: 0, first: [] })
    // The questions must reach measures, or agreeing proves little.
    expect(answered).toBeGreaterThan(questionCount / 4)
    // Nor without goods an exemption spares (at a reduced rate: lifted ones are absent from the oracle's answer).
    expect(exempted).toBeGreaterThan(questionCount / 40)
  }, 120_000)
})
