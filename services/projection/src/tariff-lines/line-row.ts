import type { TariffLinesTable } from '@tradewatch/db'
import type { Insertable } from 'kysely'
import type { LineSpec } from './line-set.js'

/** Where a knowledge row came from and, once closed, what closed it. */
export interface Knowledge {
  lineId: string
  recordedFrom: string
  openedPosition: number
  recordedTo: string | null
  closedPosition: number | null
}

/** The row of one valid-time line as known from `knowledge.recordedFrom`. */
export function toLineRow(measureId: string, line: LineSpec, knowledge: Knowledge): Insertable<TariffLinesTable> {
  return {
    line_id: knowledge.lineId,
    measure_id: measureId,
    imposer: line.imposer,
    origin: line.origin,
    excluded_origins: line.excludedOrigins,
    hs_prefix: line.hsPrefix,
    line_kind: line.lineKind,
    nomenclature: line.nomenclature,
    kind: line.kind,
    direction: line.direction,
    authority: line.authority,
    rate: line.rate === null ? null : JSON.stringify(line.rate),
    rate_percent: line.rate?.type === 'ad_valorem' ? line.rate.percent : null,
    exemptions: JSON.stringify(line.exemptions),
    quotas: JSON.stringify(line.quotas),
    valid_from: line.validFrom,
    valid_to: line.validTo,
    recorded_from: knowledge.recordedFrom,
    recorded_to: knowledge.recordedTo,
    opened_position: knowledge.openedPosition,
    closed_position: knowledge.closedPosition,
  }
}
