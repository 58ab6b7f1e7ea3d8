import { type TariffsAtQuery, tariffsAt } from '@tradewatch/queries'
import { useTestEnvironment } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTariffQuestions } from './tariff-questions.js'

const env = useTestEnvironment()

// CA on CN: 25% on heading 8703 and 10% on its national line 87038000 since 2025; an erga omnes 5% on chapter 87 that
// spares MX; a 40% on 8703 known until 2025-03-01, then corrected.
beforeAll(async () => {
  await sql`
    INSERT INTO tariff_lines (line_id, measure_id, imposer, origin, excluded_origins, hs_prefix, line_kind, kind, direction, rate, rate_percent,
      exemptions, quotas, valid_from, valid_to, recorded_from, recorded_to, opened_position, closed_position)
    VALUES
      ('ev#0', 'ev', 'CA', 'CN', '{}', '8703', 'hs', 'surtax', 'restrictive', '{}', 25, '[]', '[]', '2025-01-01', NULL, '2025-03-01', NULL, 2, NULL),
      ('ev#old', 'ev', 'CA', 'CN', '{}', '8703', 'hs', 'surtax', 'restrictive', '{}', 40, '[]', '[]', '2025-01-01', NULL, '2024-12-01', '2025-03-01', 1, 2),
      ('ev#1', 'ev', 'CA', 'CN', '{}', '87038000', 'national', 'surtax', 'restrictive', '{}', 10, '[]', '[]', '2025-01-01', NULL, '2025-03-01', NULL, 2, NULL),
      ('all#0', 'all', 'CA', '*', '{MX}', '87', 'hs', 'surtax', 'restrictive', '{}', 5, '[]', '[]', '2024-01-01', '2026-01-01', '2024-01-01', NULL, 3, NULL)`.execute(
    env.db,
  )
})

const questions: TariffsAtQuery[] = [
  { imposer: 'CA', origin: 'CN', hs: '8703', asOf: '2025-06-01' },
  { imposer: 'CA', origin: 'CN', hs: '870380', asOf: '2025-06-01' },
  { imposer: 'CA', origin: 'CN', hs: '87038000', asOf: '2025-06-01', knownAt: '2025-02-01T00:00:00Z' },
  { imposer: 'CA', origin: 'MX', hs: '8703', asOf: '2025-06-01' },
  { imposer: 'CA', origin: 'US', hs: '8703', asOf: '2026-06-01' },
  { imposer: 'CA', origin: 'CN', hs: '87', asOf: '2024-06-01' },
  { imposer: 'US', origin: 'CN', hs: '8703', asOf: '2025-06-01' },
]
const rates = (applied: { measureId: string; hsPrefix: string; ratePercent: number | null }[]) =>
  applied.map((t) => `${t.measureId} ${t.hsPrefix} ${t.ratePercent}`)

describe('tariff questions asked together', () => {
  it('answers each as if asked alone, in one statement', async () => {
    let statements = 0
    const counted = env.db.withPlugin({
      transformQuery: (args) => {
        statements += 1
        return args.node
      },
      transformResult: async (args) => args.result,
    })
    const ask = createTariffQuestions(counted)
    const together = await Promise.all(questions.map(ask))
    expect(statements).toBe(1)
    const alone = await Promise.all(questions.map((q) => tariffsAt(env.db, q)))
    expect(together).toEqual(alone)
    expect(together.map(rates)).toEqual([
      ['all 87 5', 'ev 8703 25', 'ev 87038000 10'],
      ['all 87 5', 'ev 8703 25', 'ev 87038000 10'],
      ['all 87 5', 'ev 8703 40'],
      [],
      [],
      ['all 87 5'],
      [],
    ])
  })

  it('refuses a malformed question alone, and answers the ones asked with it', async () => {
    const ask = createTariffQuestions(env.db)
    const [bad, good] = await Promise.allSettled([ask({ ...(questions[0] as TariffsAtQuery), hs: '87%' }), ask(questions[0] as TariffsAtQuery)])
    expect(bad.status).toBe('rejected')
    expect(good.status === 'fulfilled' && rates(good.value)).toEqual(['all 87 5', 'ev 8703 25', 'ev 87038000 10'])
  })
})
