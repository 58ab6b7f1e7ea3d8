/** Turns `data` written at one schema version into `data` of the next version. Pure, no I/O. */
export type Upcaster = (data: unknown) => unknown

/** Event type → the version an upcaster reads → the upcaster that produces version + 1. */
export type Upcasters = Readonly<Partial<Record<string, Readonly<Record<number, Upcaster>>>>>

interface MeasureLinkedV1 {
  relation: string
  otherMeasureId?: string
  agreementId?: string
  note?: string
}

/**
 * The registry used by `parseEnvelope`. A breaking change to a type's `data` bumps its `schemaVersion` in the
 * catalogue and adds `{ [type]: { [oldVersion]: fn } }` here; stored events are never rewritten.
 */
export const upcasters: Upcasters = {
  // v1 named the other end with one of two exclusive fields; v2 names it as a stream reference.
  MeasureLinked: {
    1: (data) => {
      const { otherMeasureId, agreementId, ...rest } = data as MeasureLinkedV1
      const target = otherMeasureId !== undefined ? { aggregateType: 'measure', id: otherMeasureId } : { aggregateType: 'agreement', id: agreementId }
      return { ...rest, target }
    },
  },
}
