/** Stable machine codes of the projector's errors. */
export const rebuildErrorCodes = {
  notRebuildable: 'NOT_REBUILDABLE',
  rebuildRunning: 'REBUILD_RUNNING',
  unsupportedTable: 'UNSUPPORTED_TABLE',
  applyFailed: 'REBUILD_APPLY_FAILED',
} as const
export type RebuildErrorCode = (typeof rebuildErrorCodes)[keyof typeof rebuildErrorCodes]

/** Why a rebuild did not happen; the live read model is untouched whenever one is thrown. */
export class RebuildError extends Error {
  readonly code: RebuildErrorCode
  constructor(code: RebuildErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}
