import { foldChanges } from '../matching/alert-states.js'
import type { Change } from '../matching/change.js'
import { demoEnvelopes } from './demo-envelopes.js'

/** Every demo event with its aggregate's state before and after it, folded in memory (no Postgres). */
export const demoChanges = (): Change[] => foldChanges(new Map(), demoEnvelopes()).changes

/** The change of `type` on `aggregateId` (the nth, from 0, if there are several). */
export function demoChange(changes: readonly Change[], aggregateId: string, type: string, nth = 0): Change {
  const found = changes.filter((c) => c.event.aggregateId === aggregateId && c.event.type === type)[nth]
  if (!found) throw new Error(`no ${type} #${nth} on ${aggregateId} in the demo data`)
  return found
}
