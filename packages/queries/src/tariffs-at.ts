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

/** Every prefix of an HS code that a broader line could carry, including '' (a measure on all products). */
const prefixesOf = (hs: string) => ['', ...[2, 4, 6, 8, 10].filter((n) => n <= hs.length).map((n) => hs.slice(0, n)), hs]

/**
 * What additional duties `imposer` applied to goods of `hs` from `origin` on `asOf`, as known at `knownAt`:
 * "HS 8703 from CN entering CA on 2025-06-01 as known on 2026-01-01".
 */
export async function tariffsAt(db: Kysely<Database>, query: TariffsAtQuery): Promise<AppliedTariff[]> {
  if (!/^\d{2,10}$/.test(query.hs)) throw new Error(`hs must be 2 to 10 digits, got ${JSON.stringify(query.hs)}`)
  const rows = await db
    .selectFrom('tariff_lines')
    .select([
      'measure_id',
      'imposer',
      'origin',
      'hs_prefix',
      'line_kind',
      'kind',
      'rate_percent',
      'rate',
      'exemptions',
      'quotas',
      sql<string>`to_char(valid_from, 'YYYY-MM-DD')`.as('valid_from'),
      sql<string | null>`to_char(valid_to, 'YYYY-MM-DD')`.as('valid_to'),
      'recorded_from',
      'recorded_to',
      // In the same round trip: a client asking about duties wants to know what each measure is.
      sql<string | null>`(SELECT title FROM measures m WHERE m.measure_id = tariff_lines.measure_id)`.as('title'),
    ])
    .where('imposer', '=', query.imposer)
    // `origin IN (o, '*')` rather than an OR, so the lookup index is used on all of (imposer, origin, hs_prefix).
    .where('origin', 'in', [query.origin, '*'])
    .where(sql<boolean>`(origin <> '*' OR NOT (${query.origin} = ANY (excluded_origins)))`)
    .where((eb) => eb.or([eb('hs_prefix', 'in', prefixesOf(query.hs)), eb('hs_prefix', 'like', `${query.hs}%`)]))
    .where(sql<boolean>`valid @> ${query.asOf}::date`)
    .where(query.knownAt === undefined ? sql<boolean>`recorded_to IS NULL` : sql<boolean>`recorded @> ${query.knownAt}::timestamptz`)
    .orderBy('measure_id')
    .orderBy('hs_prefix')
    .orderBy('origin')
    .execute()
  const applied = rows.map((row) => ({
    measureId: row.measure_id,
    title: row.title,
    imposer: row.imposer,
    origin: row.origin,
    hsPrefix: row.hs_prefix,
    lineKind: row.line_kind,
    kind: row.kind,
    ratePercent: row.rate_percent === null ? null : Number(row.rate_percent),
    rate: row.rate,
    exemptions: row.exemptions as unknown[],
    quotas: row.quotas as unknown[],
    validFrom: row.valid_from,
    validTo: row.valid_to,
    recordedFrom: row.recorded_from,
    recordedTo: row.recorded_to,
  }))
  return withoutLifted(query.hs, applied)
}
