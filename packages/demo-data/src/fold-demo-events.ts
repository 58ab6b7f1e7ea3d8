import {
  type AgreementEvent,
  type AgreementState,
  aggregateTypeOf,
  decideAgreement,
  decideMeasure,
  evolveAgreement,
  evolveMeasure,
  initialAgreementState,
  initialMeasureState,
  type MeasureEvent,
  type MeasureState,
} from '@tradewatch/domain'
import type { DemoEventInput } from './demo-event-input.js'

export interface FoldedDemo {
  measures: Map<string, MeasureState>
  agreements: Map<string, AgreementState>
  /** How many events the deciders recorded, in all. */
  recorded: number
}

/**
 * Runs the inputs through the deciders as ingest would, in order, and folds what they record. Throws the decider's
 * DomainError (with the line number) on a refusal, and an Error when an input decides to nothing (an accidental no-op).
 */
export function foldDemoEvents(inputs: readonly DemoEventInput[]): FoldedDemo {
  const folded: FoldedDemo = { measures: new Map(), agreements: new Map(), recorded: 0 }
  inputs.forEach((input, index) => {
    const line = index + 1
    const event = { type: input.type, data: input.data }
    const decided = decideAt(folded, input, event, line)
    if (decided === 0) throw new Error(`line ${line}: ${input.type} on ${input.measureId ?? input.agreementId} decides to nothing`)
    folded.recorded += decided
  })
  return folded
}

function decideAt(folded: FoldedDemo, input: DemoEventInput, event: { type: string; data: unknown }, line: number): number {
  try {
    if (aggregateTypeOf(input.type) === 'measure') {
      const id = input.measureId ?? ''
      const decided = decideMeasure(folded.measures.get(id) ?? initialMeasureState, event as MeasureEvent)
      folded.measures.set(id, decided.reduce(evolveMeasure, folded.measures.get(id) ?? initialMeasureState))
      return decided.length
    }
    const id = input.agreementId ?? ''
    const decided = decideAgreement(folded.agreements.get(id) ?? initialAgreementState, event as AgreementEvent)
    folded.agreements.set(id, decided.reduce(evolveAgreement, folded.agreements.get(id) ?? initialAgreementState))
    return decided.length
  } catch (error) {
    if (error instanceof Error) error.message = `line ${line}: ${error.message}`
    throw error
  }
}
