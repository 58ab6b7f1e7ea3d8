import type { Db } from '@tradewatch/db'
import { type AppliedTariff, assertHs, type TariffsAtQuery, tariffsAtMany } from '@tradewatch/queries'

interface Waiting {
  query: TariffsAtQuery
  resolve(applied: AppliedTariff[]): void
  reject(err: unknown): void
}

/**
 * Answers tariff questions the way group commit writes: at most `inFlight` statements at a time, and every question
 * that arrives meanwhile shares the next one. Idle, a question is asked at once; busy, statements grow instead of
 * queueing. Postgres spends more on planning a question and the round trip than on finding its lines.
 */
export function createTariffQuestions(db: Db, inFlight = 2): (query: TariffsAtQuery) => Promise<AppliedTariff[]> {
  let waiting: Waiting[] = []
  let running = 0

  const next = () => {
    if (running >= inFlight || waiting.length === 0) return
    running += 1
    // Questions parsed in this same turn join the statement about to start.
    setImmediate(() => void ask().finally(next))
  }

  const ask = async () => {
    const batch = waiting
    waiting = []
    try {
      // Two slots freed in one turn both start; the first takes every question.
      if (batch.length === 0) return
      const answers = await tariffsAtMany(
        db,
        batch.map((w) => w.query),
      )
      for (const [i, w] of batch.entries()) w.resolve(answers[i] as AppliedTariff[])
    } catch (err) {
      for (const w of batch) w.reject(err)
    } finally {
      running -= 1
    }
  }

  return (query) =>
    new Promise((resolve, reject) => {
      // Checked here so one malformed question cannot fail the others it would share a statement with.
      assertHs(query.hs)
      waiting.push({ query, resolve, reject })
      next()
    })
}
