import { z } from 'zod'
import { agreementEventSchema } from '../agreement/events.js'
import { measureEventSchema } from '../measure/events.js'

/** Every event of every aggregate, discriminated on `type`. */
export const tradeEventSchema = z.discriminatedUnion('type', [...measureEventSchema.options, ...agreementEventSchema.options])
export type TradeEvent = z.infer<typeof tradeEventSchema>
export type TradeEventType = TradeEvent['type']
/** The data of one event type, e.g. `TradeEventData<'MeasureAnnounced'>`. */
export type TradeEventData<T extends TradeEventType> = Extract<TradeEvent, { type: T }>['data']
