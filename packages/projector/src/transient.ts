/**
 * SQLSTATEs worth retrying without limit: the same batch will succeed once Postgres is back
 * or the conflicting transaction is gone. Whole classes are matched by their first two
 * characters below.
 */
const transientCodes = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
])
/**
 * 08 connection exception, 53 insufficient resources, 58 system error, XX internal error, and
 * 42 (undefined table or column, permission denied): a missing migration or grant is not the
 * event's fault, and dead-lettering it would empty the whole stream into the table.
 */
const transientClasses = /^(08|53|58|XX|42)[0-9A-Z]{3}$/
// Node socket errors, as pg surfaces them when the server goes away.
const transientSystemCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
// pg throws these without a code when the socket closes mid-query or the pool cannot connect.
const transientMessages = [
  /connection terminated/i,
  /connection.*(closed|lost|ended)/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
]

/**
 * True when `err` (or an error it wraps) is a failure of the infrastructure rather than of the
 * event: such a batch is retried for ever and never dead-lettered, so an outage cannot empty
 * the stream into the dead-letter table. Anything else (a TypeError, a DomainError, a
 * constraint violation) would fail the same way on every retry.
 */
export function isTransient(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (transientCodes.has(code) || transientClasses.test(code) || transientSystemCodes.has(code))) return true
    const message = (e as { message?: unknown }).message
    if (typeof message === 'string' && transientMessages.some((p) => p.test(message))) return true
  }
  return false
}
