import type { AgreementStatusHistoryTable, AgreementsTable, Database } from '@tradewatch/db'
import { type AgreementEvent, type AgreementState, type EventEnvelope, evolveAgreement, initialAgreementState } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import { type Insertable, sql, type Transaction } from 'kysely'
import { effectiveDay, worldDay } from '../measure-history/world-time.js'
import { insertJsonRows } from '../sql/json-rows.js'

type Row = Insertable<AgreementsTable>
const day = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`

/**
 * Agreements' current state (one row each) and their status history (a row per event that moved the status).
 * Per batch: one read of the touched agreements, one upsert, one insert.
 */
export const agreementsProjection: Projection = {
  name: 'agreements',
  tables: ['agreements', 'agreement_status_history'],
  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
    const agreementEvents = events.filter((e) => e.aggregateType === 'agreement')
    if (agreementEvents.length === 0) return
    const ids = [...new Set(agreementEvents.map((e) => e.aggregateId))]
    const existing = await trx
      .selectFrom('agreements')
      .select([
        'agreement_id',
        'state',
        day('launched_on').as('launched_on'),
        day('signed_on').as('signed_on'),
        day('in_force_on').as('in_force_on'),
        day('ended_on').as('ended_on'),
      ])
      .where('agreement_id', 'in', ids)
      .execute()
    const current = new Map(existing.map((row) => [row.agreement_id, { state: row.state as AgreementState, row: row as Partial<Row> }]))
    const rows = new Map<string, Row>()
    const history: Insertable<AgreementStatusHistoryTable>[] = []
    for (const event of agreementEvents) {
      const before = current.get(event.aggregateId) ?? { state: initialAgreementState, row: {} }
      const state = evolveAgreement(before.state, { type: event.type, data: event.data } as AgreementEvent)
      if (state.status === 'none') continue
      const row: Row = {
        agreement_id: event.aggregateId,
        kind: state.kind,
        title: state.title,
        parties: state.parties,
        status: state.status,
        launched_on: before.row.launched_on ?? worldDay(event.occurredAt),
        signed_on: event.type === 'AgreementSigned' ? effectiveDay(event) : (before.row.signed_on ?? null),
        in_force_on: event.type === 'AgreementEnteredIntoForce' ? effectiveDay(event) : (before.row.in_force_on ?? null),
        ended_on: event.type === 'AgreementTerminated' || event.type === 'TalksTerminated' ? effectiveDay(event) : (before.row.ended_on ?? null),
        state: JSON.stringify(state),
        version: event.aggregateVersion,
        last_position: event.position,
        updated_at: event.recordedAt,
      }
      current.set(event.aggregateId, { state, row })
      rows.set(event.aggregateId, row)
      if (state.status !== before.state.status) {
        history.push({
          agreement_id: event.aggregateId,
          version: event.aggregateVersion,
          position: event.position,
          event_type: event.type,
          status_before: before.state.status === 'none' ? null : before.state.status,
          status_after: state.status,
          occurred_at: event.occurredAt,
          effective_on: effectiveDay(event),
          recorded_at: event.recordedAt,
        })
      }
    }
    if (rows.size === 0) return
    // One row per agreement, so the UPSERT never touches a key twice.
    await insertJsonRows(trx, 'agreements', [...rows.values()], ['state'])
      .onConflict((oc) =>
        oc.column('agreement_id').doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          title: eb.ref('excluded.title'),
          parties: eb.ref('excluded.parties'),
          status: eb.ref('excluded.status'),
          launched_on: eb.ref('excluded.launched_on'),
          signed_on: eb.ref('excluded.signed_on'),
          in_force_on: eb.ref('excluded.in_force_on'),
          ended_on: eb.ref('excluded.ended_on'),
          state: eb.ref('excluded.state'),
          version: eb.ref('excluded.version'),
          last_position: eb.ref('excluded.last_position'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
    if (history.length > 0) await insertJsonRows(trx, 'agreement_status_history', history).execute()
  },
}
