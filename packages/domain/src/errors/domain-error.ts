import type { DomainErrorCode } from './codes.js'

/**
 * A proposed event breaks a rule of its aggregate (an illegal transition, a stale `before`…).
 * Expected and permanent: the producer must change the input, retrying cannot help.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError'
  readonly code: DomainErrorCode
  /** Structured context for logs and API responses: the event type, current status, values compared. */
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options)
    this.code = code
    this.details = details
  }
}

/** Narrows an unknown thrown value to a {@link DomainError}, optionally of one code. */
export const isDomainError = (error: unknown, code?: DomainErrorCode): error is DomainError =>
  error instanceof DomainError && (code === undefined || error.code === code)
