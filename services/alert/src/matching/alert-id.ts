import { createHash } from 'node:crypto'

/**
 * The alert id is a function of (subscription, event), so replaying an event can never make
 * a second alert: the insert meets the primary key instead.
 */
export function alertIdOf(subscriptionId: string, eventId: string): string {
  const hex = createHash('sha256').update(`${subscriptionId}\u0000${eventId}`).digest('hex')
  // UUID layout with version 8 (custom) and the RFC 4122 variant bits.
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`
}
