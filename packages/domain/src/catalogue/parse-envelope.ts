import { envelopeSchema, type RawEnvelope } from '../envelope.js'
import { InvalidEventError, issuesFromZod } from '../errors/invalid-event-error.js'
import { type EventCatalogue, eventCatalogue } from './event-catalogue.js'
import type { TradeEvent, TradeEventData, TradeEventType } from './trade-event.js'
import { type Upcasters, upcasters } from './upcasters.js'

/** A validated envelope whose `data` is typed by its `type`; narrowing on `type` narrows `data`. */
export type EventEnvelope<T extends TradeEventType = TradeEventType> = T extends TradeEventType
  ? Omit<RawEnvelope, 'type' | 'data'> & { type: T; data: TradeEventData<T> }
  : never

/**
 * Upcasts `data` of `type` written at `schemaVersion`, step by step, to the catalogue's version (unvalidated).
 * @throws InvalidEventError UNSUPPORTED_SCHEMA_VERSION (newer than this build) or MISSING_UPCASTER.
 */
const createUpcaster =
  (catalogue: EventCatalogue, registry: Upcasters) =>
  (type: TradeEventType, schemaVersion: number, data: unknown): unknown => {
    const current = catalogue[type].schemaVersion
    if (schemaVersion > current) {
      throw new InvalidEventError(
        'UNSUPPORTED_SCHEMA_VERSION',
        `${type} schema version ${schemaVersion} is newer than this build knows (${current}); deploy a newer reader`,
        [{ path: 'schemaVersion', message: `expected at most ${current}` }],
      )
    }
    let upcast = data
    for (let version = schemaVersion; version < current; version++) {
      const step = registry[type]?.[version]
      if (step === undefined) {
        throw new InvalidEventError('MISSING_UPCASTER', `No upcaster for ${type} from schema version ${version} to ${version + 1}`, [
          { path: 'schemaVersion', message: `no upcaster from ${version}` },
        ])
      }
      upcast = step(upcast)
    }
    return upcast
  }

/**
 * Builds an envelope parser over a catalogue and an upcaster registry (parameters so tests can register
 * versions that do not exist yet). The parser validates the envelope, upcasts `data` step by step from the
 * envelope's `schemaVersion` to the catalogue's, validates it, and returns the envelope at the current version.
 * @throws InvalidEventError with a stable code and the issues (path and message).
 */
export const createEnvelopeParser = (catalogue: EventCatalogue, registry: Upcasters) => {
  const upcast = createUpcaster(catalogue, registry)
  return (raw: unknown): EventEnvelope => {
    const parsed = envelopeSchema.safeParse(raw)
    if (!parsed.success) throw new InvalidEventError('INVALID_ENVELOPE', 'Invalid event envelope', issuesFromZod(parsed.error))
    const envelope = parsed.data
    if (!Object.hasOwn(catalogue, envelope.type)) {
      throw new InvalidEventError('UNKNOWN_EVENT_TYPE', `Unknown event type ${JSON.stringify(envelope.type)}`, [
        { path: 'type', message: 'not in the catalogue' },
      ])
    }
    const type = envelope.type as TradeEventType
    const entry = catalogue[type]
    if (entry.aggregateType !== envelope.aggregateType) {
      throw new InvalidEventError(
        'AGGREGATE_TYPE_MISMATCH',
        `Event type ${envelope.type} belongs to aggregate ${entry.aggregateType}, found ${envelope.aggregateType}`,
        [{ path: 'aggregateType', message: `expected ${entry.aggregateType}` }],
      )
    }
    const checked = entry.schema.safeParse(upcast(type, envelope.schemaVersion, envelope.data))
    if (!checked.success) {
      throw new InvalidEventError('INVALID_EVENT_DATA', `Invalid data for ${envelope.type} v${entry.schemaVersion}`, issuesFromZod(checked.error, ['data']))
    }
    return { ...envelope, schemaVersion: entry.schemaVersion, data: checked.data } as EventEnvelope
  }
}

/**
 * Upcasts `data` a producer wrote at an older `schemaVersion` of `type` to the current one (then validate it with
 * `tradeEventSchema`), so producers pinned to an old version keep working.
 * @example upcastData('MeasureLinked', 1, { relation: 'replaces', otherMeasureId: 'us-ca-ieepa-2025' })
 */
export const upcastData: (type: TradeEventType, schemaVersion: number, data: unknown) => unknown = createUpcaster(eventCatalogue, upcasters)

/**
 * Validates an envelope as read from the store or JetStream, upcasting old `data` versions.
 * @example
 * const envelope = parseEnvelope(JSON.parse(msg.string()))
 * if (envelope.type === 'MeasureRateChanged') envelope.data.after
 */
export const parseEnvelope: (raw: unknown) => EventEnvelope = createEnvelopeParser(eventCatalogue, upcasters)

/** The emmett-style event `{ type, data }` inside an envelope, ready for `evolve`. */
export const eventOf = (envelope: EventEnvelope): TradeEvent => ({ type: envelope.type, data: envelope.data }) as TradeEvent
