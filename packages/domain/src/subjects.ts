/**
 * Subject and stream names, defined once for publishers and consumers. `prefix` is
 * TRADEWATCH_PREFIX (default `trade`), so test runs and tenants never collide.
 */
export const aggregateTypes = ['measure', 'agreement'] as const
export type AggregateType = (typeof aggregateTypes)[number]

export const subjects = {
  /** Every event of one aggregate: `trade.events.measure.ca-cn-ev-surtax`. */
  event: (prefix: string, aggregateType: AggregateType, aggregateId: string) => `${prefix}.events.${aggregateType}.${aggregateId}`,
  allEvents: (prefix: string) => `${prefix}.events.>`,
  alert: (prefix: string, subscriptionId: string) => `${prefix}.alerts.${subscriptionId}`,
  allAlerts: (prefix: string) => `${prefix}.alerts.>`,
  deadLetter: (prefix: string, consumer: string) => `${prefix}.dlq.${consumer}`,
  allDeadLetters: (prefix: string) => `${prefix}.dlq.>`,
  ingestCommands: (prefix: string) => `${prefix}.commands.ingest`,
} as const

export const streams = {
  events: (prefix: string) => `${prefix.toUpperCase()}_EVENTS`,
  alerts: (prefix: string) => `${prefix.toUpperCase()}_ALERTS`,
  deadLetters: (prefix: string) => `${prefix.toUpperCase()}_DLQ`,
} as const

/** Message headers the relay sets beside Nats-Msg-Id (the event id). */
export const headers = {
  position: 'Tw-Position',
  type: 'Tw-Type',
  schemaVersion: 'Tw-Schema-Version',
} as const

/** Aggregate ids are subject tokens: lowercase slugs, no dots or wildcards. */
export const aggregateIdPattern = /^[a-z0-9][a-z0-9-]{0,99}$/

export const streamIdOf = (aggregateType: AggregateType, aggregateId: string) => `${aggregateType}-${aggregateId}`
