import { decideAgreement } from './agreement/decide.js'
import type { AgreementEvent } from './agreement/events.js'
import { evolveAgreement } from './agreement/evolve.js'
import { type AgreementState, initialAgreementState } from './agreement/state.js'
import type { TradeEvent } from './catalogue/trade-event.js'
import { decideMeasure } from './measure/decide.js'
import type { MeasureEvent } from './measure/events.js'
import { evolveMeasure } from './measure/evolve.js'
import { initialMeasureState, type MeasureState } from './measure/state.js'
import type { AggregateType } from './subjects.js'

/** The decider of each aggregate type, seen through one shape, so code that records or folds any aggregate stays generic. */
export interface Decider {
  initial: unknown
  evolve(state: unknown, event: TradeEvent): unknown
  decide(state: unknown, proposed: TradeEvent): TradeEvent[]
}

export const deciders: Record<AggregateType, Decider> = {
  measure: {
    initial: initialMeasureState,
    evolve: (state, event) => evolveMeasure(state as MeasureState, event as MeasureEvent),
    decide: (state, proposed) => decideMeasure(state as MeasureState, proposed as MeasureEvent),
  },
  agreement: {
    initial: initialAgreementState,
    evolve: (state, event) => evolveAgreement(state as AgreementState, event as AgreementEvent),
    decide: (state, proposed) => decideAgreement(state as AgreementState, proposed as AgreementEvent),
  },
}
