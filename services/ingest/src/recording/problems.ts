import { DomainError } from '@tradewatch/domain'
import { WrongExpectedVersionError } from '@tradewatch/event-store'
import { HttpProblem, type Problem, problem } from '@tradewatch/service-kit'
import type { z } from 'zod'

/** Zod issues as problem `errors`: each failing field's JSON path and reason. */
export function invalidRequest(issues: z.core.$ZodIssue[], pathPrefix: (string | number)[] = []): HttpProblem {
  return new HttpProblem(
    problem(400, 'INVALID_REQUEST', 'Invalid request', {
      errors: issues.map((issue) => ({ path: toPointer([...pathPrefix, ...issue.path]), message: issue.message })),
    }),
  )
}

/** JSON Pointer (RFC 6901), as problem details usually name fields. */
export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'])

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  return (!!e?.code && connectionCodes.has(e.code)) || /Connection terminated|timeout exceeded when trying to connect/i.test(e?.message ?? '')
}

/** Maps what recording can throw to the problem the producer sees; unknown errors stay 500. */
export function problemFor(err: unknown): Problem | undefined {
  if (err instanceof HttpProblem) return err.problem
  if (err instanceof DomainError) {
    return problem(422, err.code, 'Domain rule refused the event', { detail: err.message, details: err.details })
  }
  if (err instanceof WrongExpectedVersionError) {
    return problem(409, err.code, 'Wrong expected version', { detail: err.message, expectedVersion: err.expected, actualVersion: err.actual })
  }
  if (isDatabaseUnavailable(err)) return problem(503, 'DATABASE_UNAVAILABLE', 'Event store unavailable', { detail: 'retry later' })
  return undefined
}
