import type { Source, TradeEventType } from '@tradewatch/domain'

/** One line of data/events.ndjson: an event input as POST /v1/events takes it. */
export interface DemoEventInput {
  type: TradeEventType
  measureId?: string
  agreementId?: string
  occurredAt: string
  effectiveAt?: string
  source: Source
  data: Record<string, unknown>
}
