import { type Problem, problem } from '@tradewatch/service-kit'

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'])

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  return (!!e?.code && connectionCodes.has(e.code)) || /Connection terminated|timeout exceeded when trying to connect/i.test(e?.message ?? '')
}

/** What recording can throw past its per-input outcomes: the event store being unreachable. */
export function unavailableProblem(err: unknown): Problem | undefined {
  if (isDatabaseUnavailable(err))
    return problem(503, 'DATABASE_UNAVAILABLE', 'Event store unavailable', { detail: 'nothing of this request was written; retry later' })
  return undefined
}
