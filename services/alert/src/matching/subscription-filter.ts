import { z } from 'zod'

/**
 * What a subscription listens for. Every dimension is optional; an empty filter is a
 * catch-all. (The full matrix of issue #5 builds on this shape.)
 */
export const subscriptionFilterSchema = z.strictObject({
  eventTypes: z.array(z.string()).optional(),
  aggregateTypes: z.array(z.enum(['measure', 'agreement'])).optional(),
  aggregateIds: z.array(z.string()).optional(),
})
export type SubscriptionFilter = z.infer<typeof subscriptionFilterSchema>

export interface MatchableEvent {
  type: string
  aggregateType: string
  aggregateId: string
}

export function matches(filter: SubscriptionFilter, event: MatchableEvent): boolean {
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false
  if (filter.aggregateTypes && !filter.aggregateTypes.includes(event.aggregateType as 'measure')) return false
  if (filter.aggregateIds && !filter.aggregateIds.includes(event.aggregateId)) return false
  return true
}
