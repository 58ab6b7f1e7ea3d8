import { type EventEnvelope, parseEnvelope, type RawEnvelope } from '@tradewatch/domain'
import { createEventStore } from '@tradewatch/event-store'
import {
  type GeneratedHistory,
  generateHistory,
  type TariffQuestion,
  tariffQuestions,
  tariffsFromEvents,
  toNewEvent,
  useTestEnvironment,
} from '@tradewatch/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useReadModelStack } from '../testing/stack.js'
import { testApp } from '../testing/test-app.js'

const env = useTestEnvironment()
// HISTORY_SEED replays another history, e.g. one a failure was seen on.
const seed = Number(process.env.HISTORY_SEED ?? 20261130)
const total = 10_000
const questionCount = 400

let history: GeneratedHistory
let events: EventEnvelope[] = []
let api: Awaited<ReturnType<typeof testApp>>

// The generated history goes straight into the event store (its own recording instants, for knowledge time); the
// real ingest relay publishes it and the real projection process builds the read models the api reads.
useReadModelStack(env, async (stack) => {
  history = generateHistory({ seed, events: total })
  const store = createEventStore({ db: env.db })
  await Promise.all(
    history.events.map((e) =>
      store.append({ aggregateType: e.aggregateType, aggregateId: e.aggregateId }, [toNewEvent(e)], { expectedVersion: e.aggregateVersion - 1 }),
    ),
  )
  let stored: RawEnvelope[] = []
  for (let after = 0; after < total; after = stored.length) stored = [...stored, ...(await store.readAll({ after, limit: 2_000 }))]
  await store.close()
  events = stored.map(parseEnvelope)
  await stack.projected(total, 180_000)
})

beforeAll(async () => {
  api = await testApp(env.db)
})
afterAll(async () => {
  await api?.app.close()
})

/** Per measure, what both sides state: whether it covers the whole code asked, and at what ad valorem percent. */
interface Seen {
  measureId: string
  coverage: 'whole' | 'part'
  percent: number | null
}

function fromOracle(question: TariffQuestion): Seen[] {
  return tariffsFromEvents(events, question).tariffs.map((t) => ({
    measureId: t.measureId,
    coverage: t.coverage,
    percent: t.coverage === 'whole' && t.appliedRate?.type === 'ad_valorem' ? t.appliedRate.percent : null,
  }))
}

describe(`GET /v1/tariffs against an independent fold of the events, on a ${total}-event generated history (seed ${seed})`, () => {
  it(`answers ${questionCount} random bitemporal questions as the oracle does`, async () => {
    const disagreements: unknown[] = []
    let compared = 0
    for (const question of tariffQuestions(history, { seed, count: questionCount })) {
      const query = new URLSearchParams({ imposer: question.imposer, origin: question.origin, hs: question.hs, asOf: question.asOf })
      if (question.knownAt) query.set('knownAt', question.knownAt)
      const { status, body } = await api.get(`/v1/tariffs?${query}`)
      expect(status, JSON.stringify(body)).toBe(200)
      const viaApi = new Map<string, Seen>(
        body.measures.map((m: Seen & { ratePercent: number | null }) => [
          m.measureId,
          { measureId: m.measureId, coverage: m.coverage, percent: m.ratePercent },
        ]),
      )
      const oracle = new Map(fromOracle(question).map((s) => [s.measureId, s]))
      for (const measureId of new Set([...viaApi.keys(), ...oracle.keys()])) {
        compared += 1
        const [a, o] = [viaApi.get(measureId) ?? null, oracle.get(measureId) ?? null]
        if (JSON.stringify(a) !== JSON.stringify(o)) disagreements.push({ question, measureId, api: a, oracle: o })
      }
    }
    expect({ disagreements: disagreements.length, first: disagreements.slice(0, 3) }).toEqual({ disagreements: 0, first: [] })
    // The questions must reach measures, or agreeing proves little.
    expect(compared).toBeGreaterThan(questionCount / 4)
  }, 120_000)
})
