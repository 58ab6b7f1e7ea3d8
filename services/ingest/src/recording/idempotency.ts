import { createHash } from 'node:crypto'
import type { EventInput } from './event-input.js'

/**
 * JSON with sorted keys, so the same fact always hashes the same. Keys already recorded were
 * hashed from this exact text, so it must not change by a byte. Built by concatenation: the
 * entries/filter/map/join version cost as much CPU as validating the input.
 */
function canonical(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? ',' : ''}${canonical(value[i]) ?? ''}`
    return `${out}]`
  }
  const record = value as Record<string, unknown>
  let out = '{'
  for (const key of Object.keys(record).sort()) {
    const v = record[key]
    if (v === undefined) continue
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonical(v)}`
  }
  return `${out}}`
}

/**
 * The key that makes a submission idempotent for ever: the producer's own key, or a
 * fingerprint of the fact itself (source url, type, aggregate, data).
 */
export function idempotencyKeyOf(input: EventInput, aggregate: string): string {
  // A producer's key is scoped to the aggregate, as the fingerprint is.
  if (input.idempotencyKey) return `key:${aggregate}:${input.idempotencyKey}`
  const fingerprint = createHash('sha256')
    .update(canonical([input.source.url, input.type, aggregate, input.data]) ?? '')
    .digest('base64url')
  return `fp:${fingerprint}`
}
