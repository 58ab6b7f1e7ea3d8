/** Stable machine codes of the event store's errors. */
export const errorCodes = {
  wrongExpectedVersion: 'WRONG_EXPECTED_VERSION',
  checkpointConflict: 'CHECKPOINT_CONFLICT',
  closed: 'EVENT_STORE_CLOSED',
  invalidStream: 'INVALID_STREAM',
  invalidArgument: 'INVALID_ARGUMENT',
  relayRunning: 'RELAY_RUNNING',
  publishMismatch: 'PUBLISH_SEQUENCE_MISMATCH',
} as const
export type ErrorCode = (typeof errorCodes)[keyof typeof errorCodes]

/** Base class: every error this package throws carries a stable `code`. */
export class EventStoreError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** The stream's version was not the one the caller based its decision on (optimistic concurrency). */
export class WrongExpectedVersionError extends EventStoreError {
  declare readonly code: 'WRONG_EXPECTED_VERSION'
  constructor(
    readonly streamId: string,
    readonly expected: number | 'no_stream',
    readonly actual: number,
  ) {
    super(errorCodes.wrongExpectedVersion, `Expected version ${expected} of stream ${streamId} does not match current version ${actual}`)
  }
}

/** Another instance moved the consumer's checkpoint: the compare-and-set saw `actual`, not `expected`. */
export class CheckpointConflictError extends EventStoreError {
  declare readonly code: 'CHECKPOINT_CONFLICT'
  constructor(
    readonly consumer: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(errorCodes.checkpointConflict, `Expected checkpoint ${expected} of consumer ${consumer} but found ${actual}`)
  }
}

/** True when `err` is (or wraps, via `cause`) an error with this code: handlers may wrap ours. */
export function hasCode(err: unknown, code: ErrorCode): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === code) return true
  }
  return false
}
