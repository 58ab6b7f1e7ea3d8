import type { RelationMeasuresTable } from '@tradewatch/db'
import { type EventEnvelope, evolveMeasure, type LiveMeasureState, type MeasureEvent, type MeasureState } from '@tradewatch/domain'
import type { Insertable } from 'kysely'
import { effectiveDay } from '../measure-history/world-time.js'
import { summarize } from '../timeline/summary.js'
import { partnersOf } from './partners.js'

/** What the projection keeps per measure: the domain state plus the world-time days "active as of" needs. */
export interface MeasureFold {
  state: MeasureState
  /** The first day it applied (its first entry into force); a reinstatement continues it. */
  inForceFrom: string | null
  /** The day it stopped applying for good (revoked, expired, invalidated). */
  endedOn: string | null
}

export const initialMeasureFold: MeasureFold = { state: { status: 'none' }, inForceFrom: null, endedOn: null }

const endings = new Set(['MeasureRevoked', 'MeasureExpired', 'MeasureInvalidatedByCourt'])

export function foldMeasure(fold: MeasureFold, event: EventEnvelope): MeasureFold {
  return {
    state: evolveMeasure(fold.state, { type: event.type, data: event.data } as MeasureEvent),
    inForceFrom: fold.inForceFrom ?? (event.type === 'MeasureEnteredIntoForce' ? effectiveDay(event) : null),
    endedOn: endings.has(event.type) ? effectiveDay(event) : fold.endedOn,
  }
}

/**
 * The rows an event leaves for its measure: one per partner in scope after it, and one (in_scope false) per
 * partner it dropped, so the pair still shows that last change. Partners out of scope before and after are untouched.
 */
export function measureRows(measureId: string, before: MeasureState, after: MeasureFold & { state: LiveMeasureState }, event: EventEnvelope) {
  const state = after.state
  const common = {
    imposer: state.imposer,
    measure_id: measureId,
    kind: state.kind,
    direction: state.direction,
    status: state.status,
    title: state.title,
    rate_percent: state.rate?.type === 'ad_valorem' ? state.rate.percent : null,
    in_force_from: after.inForceFrom,
    ended_on: after.endedOn,
    last_position: event.position,
    last_event_type: event.type,
    last_occurred_at: event.occurredAt,
    last_summary: summarize(event),
  }
  const current = partnersOf(state.targets)
  const dropped = before.status === 'none' ? [] : partnersOf(before.targets).filter((p) => !current.some((c) => c.partner === p.partner))
  const rows: Insertable<RelationMeasuresTable>[] = [
    ...current.map((p) => ({ ...common, ...p, in_scope: true })),
    ...dropped.map((p) => ({ ...common, ...p, in_scope: false })),
  ]
  return rows
}
