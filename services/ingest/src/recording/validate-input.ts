import { invalidRequestProblem } from '@tradewatch/service-kit'
import type { z } from 'zod'
import { type EventInput, eventInputSchema } from './event-input.js'
import type { InputOutcome } from './record-batch.js'

export type Validated = { ok: true; input: EventInput } | { ok: false; outcome: InputOutcome }

/** Validates one raw input; an invalid one becomes a `rejected` outcome with every failing path. */
export function validateInput(raw: unknown, pathPrefix: (string | number)[] = []): Validated {
  const parsed = eventInputSchema.safeParse(raw)
  if (parsed.success) return { ok: true, input: parsed.data as EventInput }
  return { ok: false, outcome: { status: 'rejected', problem: invalidRequestProblem(parsed.error.issues as z.core.$ZodIssue[], pathPrefix) } }
}
