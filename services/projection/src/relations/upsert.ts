import type { Database, RelationAgreementsTable, RelationMeasuresTable, RelationMonthlyTable, RelationStatesTable } from '@tradewatch/db'
import { type Insertable, sql, type Transaction } from 'kysely'

interface Batch {
  states: Insertable<RelationStatesTable>[]
  measures: Insertable<RelationMeasuresTable>[]
  agreements: Insertable<RelationAgreementsTable>[]
  monthly: Insertable<RelationMonthlyTable>[]
}

// Postgres takes at most 65,535 bind parameters per statement: 1,000 rows of up to 16 columns stay well below.
const CHUNK = 1_000
const chunks = <T>(rows: readonly T[]) => Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK))

// Every column but the key takes the new value.
const replace = (columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]))

/** One statement per table (per 1,000 rows); each list holds a key at most once. */
export async function upsertRelations(trx: Transaction<Database>, batch: Batch): Promise<void> {
  for (const rows of chunks(batch.states))
    await trx
      .insertInto('relation_states')
      .values(rows)
      .onConflict((oc) => oc.columns(['aggregate_type', 'aggregate_id']).doUpdateSet(replace(['state', 'last_position'])))
      .execute()
  for (const rows of chunks(batch.measures))
    await trx
      .insertInto('relation_measures')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['imposer', 'partner', 'measure_id'])
          .doUpdateSet(
            replace([
              'excluded',
              'in_scope',
              'kind',
              'direction',
              'status',
              'title',
              'rate_percent',
              'in_force_from',
              'ended_on',
              'last_position',
              'last_event_type',
              'last_occurred_at',
              'last_summary',
            ]),
          ),
      )
      .execute()
  for (const rows of chunks(batch.agreements))
    await trx
      .insertInto('relation_agreements')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['party_a', 'party_b', 'agreement_id'])
          .doUpdateSet(replace(['kind', 'status', 'title', 'last_position', 'last_event_type', 'last_occurred_at', 'last_summary'])),
      )
      .execute()
  for (const rows of chunks(batch.monthly))
    await trx
      .insertInto('relation_monthly')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['imposer', 'partner', 'excluded', 'month']).doUpdateSet((eb) => ({
          // Counts add up across batches: a month's events may arrive in several.
          restrictive_count: eb('relation_monthly.restrictive_count', '+', eb.ref('excluded.restrictive_count')),
          liberalising_count: eb('relation_monthly.liberalising_count', '+', eb.ref('excluded.liberalising_count')),
        })),
      )
      .execute()
}
