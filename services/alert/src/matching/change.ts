import type { AgreementState, EventEnvelope, MeasureState, Rate } from '@tradewatch/domain'

/** The state of one aggregate as the alert service folds it. */
export type AggregateState = MeasureState | AgreementState

/**
 * One event with the state of its aggregate just before and just after it: what matching and
 * titles judge, so an alert says exactly what that event changed, never what came later.
 */
export interface Change {
  event: EventEnvelope
  before: AggregateState
  after: AggregateState
}

export type LiveMeasure = Extract<MeasureState, { kind: string }>
export type LiveAgreement = Extract<AgreementState, { parties: string[] }>

export const measureOf = (state: AggregateState): LiveMeasure | undefined => ('imposer' in state ? state : undefined)
export const agreementOf = (state: AggregateState): LiveAgreement | undefined => ('parties' in state ? state : undefined)

// Statuses in which a measure's rate is charged or has been announced as the rate to come.
const rateStatuses = new Set(['announced', 'in_force'])

/**
 * The additional ad-valorem duty a measure state stands for, in percent: its rate while announced
 * or in force, 0 before it exists, while threatened or suspended, and once it has ended. Undefined
 * when the rate is not ad valorem (a specific duty cannot be compared in points) or unknown.
 */
export function dutyLevel(state: AggregateState): number | undefined {
  const measure = measureOf(state)
  if (!measure || !rateStatuses.has(measure.status)) return 0
  if (measure.rate === null) return undefined
  return measure.rate.type === 'ad_valorem' ? measure.rate.percent : undefined
}

/**
 * The change of a measure's duty level made by this event, in percentage points (after − before):
 * e.g. a rate cut from 100% to 6.1% is −93.9, a revocation of a 25% duty −25, an announcement of a
 * 10% tariff +10. Undefined for agreements and when either side has no comparable level.
 */
export function rateChangePp(change: Change): number | undefined {
  if (change.event.aggregateType !== 'measure') return undefined
  const before = dutyLevel(change.before)
  const after = dutyLevel(change.after)
  if (before === undefined || after === undefined) return undefined
  // Rounded to hundredths of a point: 100 − 6.1 is 93.9, not 93.89999999999999.
  return Math.round((after - before) * 100) / 100
}

/** "100%", "1.5 EUR/KGM", "no stated rate". */
export const rateText = (rate: Rate | null | undefined): string => {
  if (!rate) return 'no stated rate'
  return rate.type === 'ad_valorem' ? `${rate.percent}%` : `${rate.amount} ${rate.currency}/${rate.unit}`
}

/** The day an event takes effect: its effectiveAt, else its occurredAt. */
export const effectiveDay = (event: Pick<EventEnvelope, 'occurredAt' | 'effectiveAt'>): string => (event.effectiveAt ?? event.occurredAt).slice(0, 10)
