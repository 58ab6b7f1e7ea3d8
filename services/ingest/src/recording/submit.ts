import { type Problem, problem } from '@tradewatch/service-kit'
import type { EventInput } from './event-input.js'
import { type InputOutcome, type Recording, recordBatch } from './record-batch.js'
import { type Validated, validateInput } from './validate-input.js'

export interface Summary {
  appended: number
  duplicate: number
  unchanged: number
  rejected: number
}

export const emptySummary = (): Summary => ({ appended: 0, duplicate: 0, unchanged: 0, rejected: 0 })

/** Validates, then records the valid inputs; outcomes come back in input order. */
export async function recordInputs(recording: Recording, raws: readonly unknown[], pathOf: (i: number) => (string | number)[]): Promise<InputOutcome[]> {
  const outcomes: InputOutcome[] = new Array(raws.length)
  const valid: EventInput[] = []
  const slots: number[] = []
  raws.forEach((raw, i) => {
    const checked: Validated = validateInput(raw, pathOf(i))
    if (checked.ok) {
      valid.push(checked.input)
      slots.push(i)
    } else outcomes[i] = checked.outcome
  })
  if (valid.length) {
    const recorded = await recordBatch(recording, valid)
    recorded.forEach((outcome, j) => {
      outcomes[slots[j] as number] = outcome
    })
  }
  return outcomes
}

export interface Answer {
  status: number
  body: InputOutcome | Problem | { results: (InputOutcome & { index: number })[]; summary: Summary }
}

/**
 * One JSON submission, as HTTP and NATS producers send it: an input object (answered with its
 * outcome, or its problem) or an array (answered with one result per input and a summary).
 */
export async function submitJson(recording: Recording, body: unknown, maxBatchInputs: number): Promise<Answer> {
  if (Array.isArray(body)) {
    if (body.length === 0 || body.length > maxBatchInputs) {
      return invalid(`a batch holds 1 to ${maxBatchInputs} inputs, got ${body.length}`)
    }
    const outcomes = await recordInputs(recording, body, (i) => [i])
    const summary = emptySummary()
    for (const o of outcomes) summary[o.status]++
    const status = summary.rejected ? 207 : summary.appended ? 201 : 200
    return { status, body: { results: outcomes.map((o, index) => ({ index, ...o })), summary } }
  }
  if (body === null || typeof body !== 'object') return invalid('body must be an event input object or an array of them')
  const [outcome] = (await recordInputs(recording, [body], () => [])) as [InputOutcome]
  if (outcome.status === 'rejected') return { status: outcome.problem.status, body: outcome.problem }
  return { status: outcome.status === 'appended' ? 201 : 200, body: outcome }
}

const invalid = (message: string): Answer => ({ status: 400, body: problem(400, 'INVALID_REQUEST', 'Invalid request', { errors: [{ path: '', message }] }) })
