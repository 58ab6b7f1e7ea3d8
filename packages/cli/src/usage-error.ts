/** A command line the CLI cannot act on: printed as one line, exit code 2, nothing changed. */
export class UsageError extends Error {
  readonly code = 'USAGE'
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
