import { createHash } from 'node:crypto'
import type { EventInput } from './event-input.js'

/** JSON with sorted keys, so the same fact always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * The key that makes a submission idempotent for ever: the producer's own key, or a
 * fingerprint of the fact itself (source url, type, aggregate, data).
 */
export function idempotencyKeyOf(input: EventInput, aggregate: string): string {
  // A producer's key is scoped to the aggregate, as the fingerprint is.
  if (input.idempotencyKey) return `key:${aggregate}:${input.idempotencyKey}`
  const fingerprint = createHash('sha256')
    .update(canonical([input.source.url, input.type, aggregate, input.data]))
    .digest('base64url')
  return `fp:${fingerprint}`
}
