/** RFC 9457 problem details: the one error shape of every HTTP answer. */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  code: string
  /** Per-field reasons for a 400: `path` is the JSON path of the failing field. */
  errors?: { path: string; message: string }[]
  [extension: string]: unknown
}

export const problemContentType = 'application/problem+json'

export function problem(status: number, code: string, title: string, extra: Omit<Partial<Problem>, 'status' | 'code' | 'title'> = {}): Problem {
  return { type: `https://tradewatch.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title, status, code, ...extra }
}

/** An error that becomes a problem answer at the HTTP edge. */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    options?: ErrorOptions,
  ) {
    super(problem.detail ?? problem.title, options)
    this.name = 'HttpProblem'
  }
}
