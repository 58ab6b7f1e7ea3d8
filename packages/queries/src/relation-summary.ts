import type { Database } from '@tradewatch/db'
import { type ExpressionBuilder, type Kysely, sql } from 'kysely'
import { ERGA_OMNES } from './erga-omnes.js'

export interface ActiveMeasure {
  measureId: string
  kind: string
  direction: string
  title: string
  ratePercent: number | null
  inForceFrom: string
}

export interface LastChange {
  subject: string
  position: number
  eventType: string
  occurredAt: string
  summary: string
}

export interface DirectionSummary {
  imposer: string
  partner: string
  active: ActiveMeasure[]
  /** Mean additional ad valorem duty over the active measures that have one; null when none has. */
  averageAdditionalDuty: number | null
  maxAdditionalDuty: number | null
  lastChange: LastChange | null
  monthly: { month: string; restrictive: number; liberalising: number }[]
}

export interface RelationSummary {
  directions: [DirectionSummary, DirectionSummary]
  agreements: { agreementId: string; kind: string; status: string; title: string }[]
  /** The agreements that are negotiations (kind `negotiation`), with where the talks stand. */
  talks: { agreementId: string; status: string; title: string }[]
}

const day = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`
// The world date the question is about; without one, today in the session's zone (UTC).
const asOfDate = (asOf: string | undefined) => (asOf ? sql<string>`${asOf}::date` : sql<string>`current_date`)

/** Rows of measures `imposer` applies to `partner`: those naming it, and erga omnes ones that do not spare it. */
const appliesTo = (imposer: string, partner: string) => (eb: ExpressionBuilder<Database, 'relation_measures' | 'relation_monthly'>) =>
  eb.and([
    eb('imposer', '=', imposer),
    eb.or([eb('partner', '=', partner), eb.and([eb('partner', '=', ERGA_OMNES), eb.not(eb(eb.val(partner), '=', eb.fn.any('excluded')))])]),
  ])

/**
 * Where an ordered pair stands, both ways. A measure is active on `asOf` when it is in scope, entered into force
 * on or before that day, has not ended by then and is not suspended now. Status and rate are the latest known
 * (the rate's history is in tariff_lines), so a past `asOf` tells which measures applied, at today's rates.
 */
export async function relationSummary(db: Kysely<Database>, a: string, b: string, options: { asOf?: string } = {}): Promise<RelationSummary> {
  const agreementRows = await db
    .selectFrom('relation_agreements')
    .select(['agreement_id', 'kind', 'status', 'title', 'last_position', 'last_event_type', 'last_occurred_at', 'last_summary'])
    .where('party_a', '=', a)
    .where('party_b', '=', b)
    .orderBy('agreement_id')
    .execute()
  const agreementChanges = agreementRows.map((r) => change(r.agreement_id, r))
  const [ab, ba] = await Promise.all([direction(db, a, b, options.asOf, agreementChanges), direction(db, b, a, options.asOf, agreementChanges)])
  return {
    directions: [ab, ba],
    agreements: agreementRows.map((r) => ({ agreementId: r.agreement_id, kind: r.kind, status: r.status, title: r.title })),
    talks: agreementRows.filter((r) => r.kind === 'negotiation').map((r) => ({ agreementId: r.agreement_id, status: r.status, title: r.title })),
  }
}

async function direction(
  db: Kysely<Database>,
  imposer: string,
  partner: string,
  asOf: string | undefined,
  agreementChanges: LastChange[],
): Promise<DirectionSummary> {
  const date = asOfDate(asOf)
  const [measures, monthly] = await Promise.all([
    db
      .selectFrom('relation_measures')
      .select(['measure_id', 'kind', 'direction', 'title', 'rate_percent', 'last_position', 'last_event_type', 'last_occurred_at', 'last_summary'])
      .select(day('in_force_from').as('in_force_from'))
      .select(
        sql<boolean>`in_scope AND status IN ('in_force', 'revoked', 'expired', 'invalidated_by_court')
          AND in_force_from <= ${date} AND (ended_on IS NULL OR ended_on > ${date})`.as('active'),
      )
      .where(appliesTo(imposer, partner))
      .orderBy('measure_id')
      .execute(),
    db
      .selectFrom('relation_monthly')
      .select([
        sql<string>`to_char(month, 'YYYY-MM')`.as('month'),
        sql<number>`sum(restrictive_count)::int`.as('restrictive'),
        sql<number>`sum(liberalising_count)::int`.as('liberalising'),
      ])
      .where(appliesTo(imposer, partner))
      .where(sql<boolean>`month <= ${date}`)
      .groupBy('month')
      .orderBy('month')
      .execute(),
  ])
  const active = measures
    .filter((m) => m.active)
    .map((m) => ({
      measureId: m.measure_id,
      kind: m.kind,
      direction: m.direction,
      title: m.title,
      ratePercent: m.rate_percent === null ? null : Number(m.rate_percent),
      inForceFrom: m.in_force_from as string,
    }))
  const rates = active.flatMap((m) => (m.ratePercent === null ? [] : [m.ratePercent]))
  const changes = [...measures.map((m) => change(m.measure_id, m)), ...agreementChanges]
  return {
    imposer,
    partner,
    active,
    averageAdditionalDuty: rates.length === 0 ? null : rates.reduce((sum, r) => sum + r, 0) / rates.length,
    maxAdditionalDuty: rates.length === 0 ? null : Math.max(...rates),
    lastChange: changes.reduce<LastChange | null>((last, c) => (last && last.position > c.position ? last : c), null),
    monthly,
  }
}

function change(subject: string, row: { last_position: string; last_event_type: string; last_occurred_at: string; last_summary: string }): LastChange {
  return { subject, position: Number(row.last_position), eventType: row.last_event_type, occurredAt: row.last_occurred_at, summary: row.last_summary }
}
