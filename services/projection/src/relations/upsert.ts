import type { Database, RelationAgreementsTable, RelationMeasuresTable, RelationMonthlyTable, RelationStatesTable } from '@tradewatch/db'
import { type Insertable, sql, type Transaction } from 'kysely'
import { insertJsonRows } from '../sql/json-rows.js'

interface Batch {
  states: Insertable<RelationStatesTable>[]
  measures: Insertable<RelationMeasuresTable>[]
  agreements: Insertable<RelationAgreementsTable>[]
  monthly: Insertable<RelationMonthlyTable>[]
}

// Every column but the key takes the new value.
const replace = (columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]))

/** One statement per table, its rows in one parameter (see insertJsonRows); each list holds a key at most once. */
export async function upsertRelations(trx: Transaction<Database>, batch: Batch): Promise<void> {
  if (batch.states.length > 0)
    await insertJsonRows(trx, 'relation_states', batch.states, ['state'])
      .onConflict((oc) => oc.columns(['aggregate_type', 'aggregate_id']).doUpdateSet(replace(['state', 'last_position'])))
      .execute()
  if (batch.measures.length > 0)
    await insertJsonRows(trx, 'relation_measures', batch.measures)
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
  if (batch.agreements.length > 0)
    await insertJsonRows(trx, 'relation_agreements', batch.agreements)
      .onConflict((oc) =>
        oc
          .columns(['party_a', 'party_b', 'agreement_id'])
          .doUpdateSet(replace(['kind', 'status', 'title', 'last_position', 'last_event_type', 'last_occurred_at', 'last_summary'])),
      )
      .execute()
  if (batch.monthly.length > 0)
    await insertJsonRows(trx, 'relation_monthly', batch.monthly)
      .onConflict((oc) =>
        oc.columns(['imposer', 'partner', 'excluded', 'month']).doUpdateSet((eb) => ({
          // Counts add up across batches: a month's events may arrive in several.
          restrictive_count: eb('relation_monthly.restrictive_count', '+', eb.ref('excluded.restrictive_count')),
          liberalising_count: eb('relation_monthly.liberalising_count', '+', eb.ref('excluded.liberalising_count')),
        })),
      )
      .execute()
}
