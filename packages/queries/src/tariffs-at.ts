import type { Database } from '@tradewatch/db'
import { type Kysely, sql } from 'kysely'

export interface TariffsAtQuery {
  imposer: string
  origin: string
  /** An HS code or national line (2–10 digits): lines on it, on a broader code above it or a narrower one under it. */
  hs: string
  /** World date (YYYY-MM-DD): what applied on that day. */
  asOf: string
  /** Knowledge time (ISO instant): what we knew then. Absent: what we know now. */
  knownAt?: string
}

/** A tariff line that applied, with its valid and knowledge intervals (half-open; null ends are open). */
export interface AppliedTariff {
  measureId: string
  /** The measure's title as it stands now (the measures read model); null before that model has it. */
  title: string | null
  imposer: string
  origin: string
  hsPrefix: string
  lineKind: string
  kind: string
  ratePercent: number | null
  rate: unknown
  exemptions: unknown[]
  quotas: unknown[]
  validFrom: string
  validTo: string | null
  recordedFrom: Date
  recordedTo: Date | null
}

/**
 * A measure's line for all goods of `hs`: its most specific line on `hs` or a broader code (a national line beats its
 * heading, a named origin beats erga omnes); undefined when it only has lines under `hs`.
 */
export const mostSpecificLine = <T extends Pick<AppliedTariff, 'hsPrefix' | 'origin'>>(hs: string, lines: readonly T[]): T | undefined =>
  lines.filter((l) => hs.startsWith(l.hsPrefix)).sort((a, b) => b.hsPrefix.length - a.hsPrefix.length || Number(a.origin === '*') - Number(b.origin === '*'))[0]

/** A line whose goods an exemption spares whole: written only under a broader line of its measure, to say so. */
const lifted = (line: AppliedTariff) =>
  (line.exemptions as { covers: string; rateWithin: unknown }[]).filter((e) => e.covers === 'all').at(-1)?.rateWithin === null

/** Drops the measures that add no duty to `hs`: lifted on it by an exemption, or left with no line but lifted ones. */
function withoutLifted(hs: string, applied: AppliedTariff[]): AppliedTariff[] {
  const spared = new Set<string>()
  for (const measureId of new Set(applied.map((t) => t.measureId))) {
    const lines = applied.filter((t) => t.measureId === measureId)
    const line = mostSpecificLine(hs, lines)
    if ((line && lifted(line)) || lines.every(lifted)) spared.add(measureId)
  }
  return applied.filter((t) => !spared.has(t.measureId))
}

const hsPattern = /^\d{2,10}$/

/** Throws unless `hs` is 2 to 10 digits: the SQL below builds prefixes and ranges from it. */
export function assertHs(hs: string): void {
  if (!hsPattern.test(hs)) throw new Error(`hs must be 2 to 10 digits, got ${JSON.stringify(hs)}`)
}

interface TariffRow {
  question: number
  measure_id: string
  title: string | null
  imposer: string
  origin: string
  hs_prefix: string
  line_kind: string
  kind: string
  rate_percent: string | null
  rate: unknown
  exemptions: unknown[]
  quotas: unknown[]
  valid_from: string
  valid_to: string | null
  recorded_from: Date
  recorded_to: Date | null
}

/**
 * What additional duties `imposer` applied to goods of `hs` from `origin` on `asOf`, as known at `knownAt`:
 * "HS 8703 from CN entering CA on 2025-06-01 as known on 2026-01-01".
 */
export async function tariffsAt(db: Kysely<Database>, query: TariffsAtQuery): Promise<AppliedTariff[]> {
  return (await tariffsAtMany(db, [query]))[0] as AppliedTariff[]
}

/**
 * `tariffsAt` for many questions in one statement, answers in the order asked. Planning costs Postgres more than
 * finding a question's few lines, so concurrent questions share one plan and one round trip.
 */
export async function tariffsAtMany(db: Kysely<Database>, queries: readonly TariffsAtQuery[]): Promise<AppliedTariff[][]> {
  for (const query of queries) assertHs(query.hs)
  if (queries.length === 0) return []
  // Lines on the code or a broader one (left(hs, n) is hs itself once n passes its length, and '' is a measure on all
  // products), then lines under it: the C-collated range (hs, hs || ':') holds every longer string of digits after
  // hs. Two branches, each an equality-prefix scan of the lookup index per question.
  const { rows } = await sql<TariffRow>`
    SELECT q.question, t.measure_id, t.imposer, t.origin, t.hs_prefix, t.line_kind, t.kind, t.rate_percent, t.rate, t.exemptions,
      t.quotas, to_char(t.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(t.valid_to, 'YYYY-MM-DD') AS valid_to, t.recorded_from,
      t.recorded_to, (SELECT title FROM measures m WHERE m.measure_id = t.measure_id) AS title
    FROM unnest(${queries.map((q) => q.imposer)}::text[], ${queries.map((q) => q.origin)}::text[], ${queries.map((q) => q.hs)}::text[],
      ${queries.map((q) => q.asOf)}::date[], ${queries.map((q) => q.knownAt ?? null)}::timestamptz[])
      WITH ORDINALITY AS q(imposer, origin, hs, as_of, known_at, question)
    CROSS JOIN LATERAL (
      SELECT * FROM tariff_lines l WHERE l.imposer = q.imposer AND l.origin IN (q.origin, '*')
        AND l.hs_prefix IN ('', left(q.hs, 2), left(q.hs, 4), left(q.hs, 6), left(q.hs, 8), q.hs)
      UNION ALL
      SELECT * FROM tariff_lines l WHERE l.imposer = q.imposer AND l.origin IN (q.origin, '*')
        AND l.hs_prefix > q.hs AND l.hs_prefix < q.hs || ':'
    ) t
    WHERE (t.origin <> '*' OR NOT (q.origin = ANY (t.excluded_origins)))
      AND t.valid @> q.as_of
      AND CASE WHEN q.known_at IS NULL THEN t.recorded_to IS NULL ELSE t.recorded @> q.known_at END
    ORDER BY q.question, t.measure_id, t.hs_prefix, t.origin`.execute(db)
  const answers = queries.map((): AppliedTariff[] => [])
  for (const row of rows) answers[Number(row.question) - 1]?.push(toApplied(row))
  return answers.map((applied, i) => withoutLifted((queries[i] as TariffsAtQuery).hs, applied))
}

const toApplied = (row: TariffRow): AppliedTariff => ({
  measureId: row.measure_id,
  title: row.title,
  imposer: row.imposer,
  origin: row.origin,
  hsPrefix: row.hs_prefix,
  lineKind: row.line_kind,
  kind: row.kind,
  ratePercent: row.rate_percent === null ? null : Number(row.rate_percent),
  rate: row.rate,
  exemptions: row.exemptions,
  quotas: row.quotas,
  validFrom: row.valid_from,
  validTo: row.valid_to,
  recordedFrom: row.recorded_from,
  recordedTo: row.recorded_to,
})
