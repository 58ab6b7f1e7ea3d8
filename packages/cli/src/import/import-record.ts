/** Where an input came from in the file: a line (NDJSON, CSV) or an array index (JSON). */
export type Origin = { line: number } | { index: number }

/**
 * One input read from the file, already as one NDJSON line, or the reason it could not be read. `at` is its line in the
 * request body: padding with blank lines keeps it equal to the file line, so ingest's answers name file lines.
 */
export type ImportRecord = { at: number; json: string } | { at: number; problem: LocalProblem }

/** Why the CLI could not turn a record into an input: shaped like ingest's problems, so both are reported alike. */
export interface LocalProblem {
  status: 400
  code: 'INVALID_RECORD'
  title: string
  errors: { path: string; message: string }[]
}

export const localProblem = (path: string, message: string): LocalProblem => ({
  status: 400,
  code: 'INVALID_RECORD',
  title: 'Invalid record',
  errors: [{ path, message }],
})
