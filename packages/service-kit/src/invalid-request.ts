import type { z } from 'zod'
import { HttpProblem, type Problem, problem } from './problem.js'

/** Zod issues as a 400 problem: each failing field's JSON path and reason. */
export function invalidRequestProblem(issues: readonly z.core.$ZodIssue[], pathPrefix: (string | number)[] = []): Problem {
  return problem(400, 'INVALID_REQUEST', 'Invalid request', {
    errors: issues.map((issue) => ({ path: toPointer([...pathPrefix, ...issue.path]), message: issue.message })),
  })
}

/** JSON Pointer (RFC 6901), as problem details usually name fields. */
export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

/**
 * Parses a request part (query, params, body) or throws a 400 naming each failing field under
 * `where`, e.g. `/query/hs`.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, where: 'query' | 'params' | 'body' | 'headers'): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new HttpProblem(invalidRequestProblem(parsed.error.issues, [where]))
  return parsed.data
}
