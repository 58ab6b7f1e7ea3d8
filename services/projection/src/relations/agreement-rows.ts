import type { RelationAgreementsTable } from '@tradewatch/db'
import type { EventEnvelope, LiveAgreementState } from '@tradewatch/domain'
import type { Insertable } from 'kysely'
import { summarize } from '../timeline/summary.js'

/** One row per ordered pair of the agreement's parties, so either side finds it as party_a. */
export function agreementRows(agreementId: string, state: LiveAgreementState, event: EventEnvelope): Insertable<RelationAgreementsTable>[] {
  return state.parties.flatMap((a) =>
    state.parties
      .filter((b) => b !== a)
      .map((b) => ({
        party_a: a,
        party_b: b,
        agreement_id: agreementId,
        kind: state.kind,
        status: state.status,
        title: state.title,
        last_position: event.position,
        last_event_type: event.type,
        last_occurred_at: event.occurredAt,
        last_summary: summarize(event),
      })),
  )
}
