export { decideAgreement } from './agreement/decide.js'
export * from './agreement/events.js'
export { evolveAgreement } from './agreement/evolve.js'
export * from './agreement/state.js'
export { aggregateTypeOf, type CatalogueEntry, type EventCatalogue, eventCatalogue, isTradeEventType } from './catalogue/event-catalogue.js'
export { createEnvelopeParser, type EventEnvelope, eventOf, parseEnvelope, upcastData } from './catalogue/parse-envelope.js'
export { type TradeEvent, type TradeEventData, type TradeEventType, tradeEventSchema } from './catalogue/trade-event.js'
export { type Upcaster, type Upcasters, upcasters } from './catalogue/upcasters.js'
export { renderEventsMarkdown } from './catalogue/write-docs.js'
export { type Decider, deciders } from './deciders.js'
export * from './envelope.js'
export { type DomainErrorCode, domainErrorCodes, type InvalidEventCode, invalidEventCodes } from './errors/codes.js'
export { DomainError, isDomainError } from './errors/domain-error.js'
export { type EventIssue, InvalidEventError } from './errors/invalid-event-error.js'
export { decideMeasure } from './measure/decide.js'
export * from './measure/events.js'
export { evolveMeasure } from './measure/evolve.js'
export * from './measure/fields.js'
export * from './measure/state.js'
export { isoDateSchema, storable, unstorableReason } from './primitives.js'
export { countryCodeSchema, EU, isCountryCode, isPartyCode, type PartyCode, partyCodeSchema, partyCodes, partyName } from './reference/countries.js'
export { currencyCodeSchema } from './reference/currencies.js'
export {
  type HsEntry,
  type HsNomenclature,
  type HsSection,
  hsChapters,
  hsCodeSchema,
  hsEntry,
  hsNomenclatures,
  hsSections,
  isKnownHsChapter,
} from './reference/hs.js'
export * from './subjects.js'
