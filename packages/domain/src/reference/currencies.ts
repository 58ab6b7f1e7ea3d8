import { z } from 'zod'

// The runtime's ICU data is the maintained ISO 4217 list; no hand-typed copy to go stale.
const currencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'))

/** An ISO 4217 currency code, e.g. `CAD`. */
export const currencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'must be three upper-case letters (ISO 4217)', abort: true })
  .refine((code) => currencies.has(code), { message: 'is not an ISO 4217 currency code' })
