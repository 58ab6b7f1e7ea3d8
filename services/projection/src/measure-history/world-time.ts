import type { EventEnvelope } from '@tradewatch/domain'

/**
 * The calendar date a world time names: a date as is, an instant with offset as the local date
 * it was written in (the imposer's day), never shifted to UTC or the session's zone.
 */
export const worldDay = (worldTime: string): string => worldTime.slice(0, 10)

/** The day an event takes effect: its effectiveAt, else its occurredAt. */
export const effectiveDay = (event: Pick<EventEnvelope, 'occurredAt' | 'effectiveAt'>): string => worldDay(event.effectiveAt ?? event.occurredAt)
