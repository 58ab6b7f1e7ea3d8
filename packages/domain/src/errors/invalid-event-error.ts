import type { z } from 'zod'
import type { InvalidEventCode } from './codes.js'

/** One validation problem, with the path into the envelope (e.g. `data.products.0.code`). */
export interface EventIssue {
  path: string
  message: string
}

/**
 * An envelope or event that cannot be read: bad shape, unknown type, or a schema version we cannot upcast.
 * Permanent: consumers dead-letter it, ingest answers 400.
 */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError'
  readonly code: InvalidEventCode
  readonly issues: readonly EventIssue[]

  constructor(code: InvalidEventCode, message: string, issues: readonly EventIssue[] = [], options?: ErrorOptions) {
    super(issues.length === 0 ? message : `${message}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, options)
    this.code = code
    this.issues = issues
  }
}

/** Flattens zod issues to `path: message` pairs, prefixing each path (e.g. with `data`). */
export const issuesFromZod = (error: z.ZodError, prefix: readonly PropertyKey[] = []): EventIssue[] =>
  error.issues.map((issue) => ({ path: [...prefix, ...issue.path].map(String).join('.'), message: issue.message }))
