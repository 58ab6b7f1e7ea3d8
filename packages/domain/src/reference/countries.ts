import countries from 'i18n-iso-countries'
import { z } from 'zod'

/** The European Union: ISO 3166 reserves `EU` exceptionally; it imposes measures and signs agreements as one party. */
export const EU = 'EU'

const countryNames: ReadonlyMap<string, string> = new Map(Object.keys(countries.getAlpha2Codes()).map((code) => [code, countries.getName(code, 'en') ?? code]))

/** True for an ISO 3166-1 alpha-2 country code (upper case), as maintained by `i18n-iso-countries`. */
export const isCountryCode = (code: string): boolean => countryNames.has(code)

/** True for a code that can impose measures or sign agreements: a country, or `EU`. */
export const isPartyCode = (code: string): boolean => code === EU || isCountryCode(code)

/** An ISO 3166-1 alpha-2 country code, e.g. `CA`. */
export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'must be two upper-case letters (ISO 3166-1 alpha-2)', abort: true })
  .refine(isCountryCode, { message: 'is not an ISO 3166-1 alpha-2 country code' })
  .describe('ISO 3166-1 alpha-2')

/** A country code or `EU`. */
export const partyCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'must be two upper-case letters (ISO 3166-1 alpha-2, or EU)', abort: true })
  .refine(isPartyCode, { message: 'is neither an ISO 3166-1 alpha-2 country code nor EU' })
  .describe('ISO 3166-1 alpha-2, or EU')
export type PartyCode = z.infer<typeof partyCodeSchema>

/**
 * The English name of a party.
 * @example partyName('CA') // 'Canada'
 * @throws RangeError for an unknown code, since callers should hold validated codes.
 */
export const partyName = (code: string): string => {
  if (code === EU) return 'European Union'
  const name = countryNames.get(code)
  if (name === undefined) throw new RangeError(`Unknown party code ${JSON.stringify(code)}`)
  return name
}

/** Every party code (countries and `EU`), sorted. */
export const partyCodes = (): readonly string[] => [...countryNames.keys(), EU].sort()
