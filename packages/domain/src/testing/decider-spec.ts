import { expect } from 'vitest'
import type { z } from 'zod'
import type { DomainErrorCode } from '../errors/codes.js'
import { DomainError } from '../errors/domain-error.js'

/** The pure functions of one aggregate, plus the schema its events must satisfy. */
export interface Decider<S, E> {
  decide: (state: S, proposed: E) => E[]
  evolve: (state: S, event: E) => S
  initialState: S
  schema: z.ZodType<E>
}

/**
 * Given/When/Then over events, after emmett's DeciderSpecification. Every given and proposed event is first
 * parsed by the aggregate's schema, so a test cannot pass on data the catalogue would reject.
 * @example
 * measureSpec.given([announced]).when(enteredIntoForce).then([enteredIntoForce])
 */
export const deciderSpec = <S, E>(decider: Decider<S, E>) => ({
  given: (events: readonly E[]) => ({
    when: (proposed: E) => {
      const valid = (event: E) => decider.schema.parse(event)
      const state = events.map(valid).reduce(decider.evolve, decider.initialState)
      const decide = () => decider.decide(state, valid(proposed))
      return {
        /** Asserts the recorded events and returns the state after folding them. */
        // biome-ignore lint/suspicious/noThenProperty: Given/When/Then vocabulary (emmett's too); this object is never awaited.
        then: (expected: readonly E[]): S => {
          const decided = decide()
          expect(decided).toEqual(expected)
          return decided.reduce(decider.evolve, state)
        },
        /** Asserts a DomainError with this code, and returns it for further checks. */
        thenThrows: (code: DomainErrorCode): DomainError => {
          let caught: unknown
          try {
            decide()
          } catch (error) {
            caught = error
          }
          expect(caught).toBeInstanceOf(DomainError)
          expect((caught as DomainError).code).toBe(code)
          return caught as DomainError
        },
      }
    },
  }),
})
