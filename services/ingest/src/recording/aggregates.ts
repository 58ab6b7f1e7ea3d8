import {
  type AggregateType,
  type AgreementEvent,
  type AgreementState,
  decideAgreement,
  decideMeasure,
  evolveAgreement,
  evolveMeasure,
  initialAgreementState,
  initialMeasureState,
  type MeasureEvent,
  type MeasureState,
  type TradeEvent,
} from '@tradewatch/domain'

/** The decider of each aggregate type, seen through one shape so recording stays generic. */
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
