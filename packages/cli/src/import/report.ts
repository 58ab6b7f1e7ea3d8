import type { LocalProblem, Origin } from './import-record.js'
import type { IngestSummary, Problem } from './ingest-client.js'

export interface Rejection {
  origin: Origin
  problem: Problem | LocalProblem
}

/** What one import did, counted over the file's inputs (rejections found by the CLI included). */
export interface ImportOutcome {
  inputs: number
  appended: number
  duplicate: number
  unchanged: number
  rejected: Rejection[]
}

export const merge = (summary: IngestSummary, local: Rejection[], remote: Rejection[]): ImportOutcome => ({
  inputs: summary.appended + summary.duplicate + summary.unchanged + summary.rejected + local.length,
  appended: summary.appended,
  duplicate: summary.duplicate,
  unchanged: summary.unchanged,
  rejected: [...local, ...remote].sort((a, b) => position(a.origin) - position(b.origin)),
})

const position = (origin: Origin) => ('line' in origin ? origin.line : origin.index)
const where = (origin: Origin) => ('line' in origin ? `line ${origin.line}` : `item [${origin.index}]`)

/** The summary a person reads: one line of counts, then each rejected input with its place and reasons. */
export function renderOutcome(file: string, outcome: ImportOutcome): string {
  const counts = `${outcome.inputs} inputs: ${outcome.appended} appended, ${outcome.duplicate} duplicate, ${outcome.unchanged} unchanged, ${outcome.rejected.length} rejected`
  const lines = [`${file}: ${counts}`]
  for (const { origin, problem } of outcome.rejected) lines.push(`  ${where(origin)}: ${reasons(problem)}`)
  return lines.join('\n')
}

function reasons(problem: Problem | LocalProblem): string {
  const head = `${problem.status} ${problem.code}`
  const details = problem.errors?.length
    ? problem.errors.map((e) => `${e.path || '(input)'}: ${e.message}`).join('; ')
    : ('detail' in problem && problem.detail) || problem.title
  return `${head}: ${details}`
}
