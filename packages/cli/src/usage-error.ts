/**
 * A command line the CLI cannot act on: printed as one line, exit code 2, nothing changed. `withUsage` adds the usage text,
 * for a malformed command line (not for, say, a missing file).
 */
export class UsageError extends Error {
  readonly code = 'USAGE'
  constructor(
    message: string,
    readonly withUsage = false,
  ) {
    super(message)
    this.name = 'UsageError'
  }
}
