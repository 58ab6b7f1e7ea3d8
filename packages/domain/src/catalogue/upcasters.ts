/** Turns `data` written at one schema version into `data` of the next version. Pure, no I/O. */
export type Upcaster = (data: unknown) => unknown

/** Event type → the version an upcaster reads → the upcaster that produces version + 1. */
export type Upcasters = Readonly<Partial<Record<string, Readonly<Record<number, Upcaster>>>>>

/**
 * The registry used by `parseEnvelope`. Empty while every type is at version 1; a breaking change to a type's
 * `data` bumps its `schemaVersion` in the catalogue and adds `{ [type]: { [oldVersion]: fn } }` here.
 */
export const upcasters: Upcasters = {}
