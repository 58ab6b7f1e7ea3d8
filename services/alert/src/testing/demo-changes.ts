import { evolveAggregate, initialStateOf } from '../matching/alert-states.js'
import type { AggregateState, Change } from '../matching/change.js'
import { demoEnvelopes } from './demo-envelopes.js'

/** Every demo event with its aggregate's state before and after it, folded in memory (no Postgres). */
export function demoChanges(): Change[] {
  const states = new Map<string, AggregateState>()
  return demoEnvelopes().map((event) => {
    const before = states.get(event.aggregateId) ?? initialStateOf(event)
    const after = evolveAggregate(before, event)
    states.set(event.aggregateId, after)
    return { event, before, after }
  })
}

/** The change of `type` on `aggregateId` (the nth, from 0, if there are several). */
export function demoChange(changes: readonly Change[], aggregateId: string, type: string, nth = 0): Change {
  const found = changes.filter((c) => c.event.aggregateId === aggregateId && c.event.type === type)[nth]
  if (!found) throw new Error(`no ${type} #${nth} on ${aggregateId} in the demo data`)
  return found
}
