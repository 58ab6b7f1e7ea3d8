import type { MeasuresTable } from '@tradewatch/db'
import type { EventEnvelope, LiveMeasureState } from '@tradewatch/domain'
import type { Insertable } from 'kysely'

/** The row of one measure after `last`, its latest event. */
export function toMeasureRow(measureId: string, state: LiveMeasureState, last: EventEnvelope, announcedAt: string | null): Insertable<MeasuresTable> {
  const rate = state.rate?.type === 'ad_valorem' ? state.rate.percent : null
  return {
    measure_id: measureId,
    imposer: state.imposer,
    targets: targetCodes(state),
    kind: state.kind,
    status: state.status,
    title: state.title,
    ad_valorem_rate: rate,
    direction: state.direction,
    state: JSON.stringify(state),
    version: last.aggregateVersion,
    last_position: last.position,
    announced_at: announcedAt,
    updated_at: last.recordedAt,
  }
}

/** Listed targets, or `ALL` for erga omnes (with `ALL_EXCEPT` exclusions kept in `state`). */
function targetCodes({ targets }: LiveMeasureState): string[] {
  return targets.mode === 'listed' ? [...targets.countries] : ['ALL']
}
