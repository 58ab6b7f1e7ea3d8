import { EU, partyName } from '@tradewatch/domain'

/**
 * Names as a headline would write them, where the reference data (ISO 3166 English names) gives
 * the long official one. Each with its article when English uses one.
 */
const shortNames: Readonly<Record<string, string>> = {
  [EU]: 'the European Union',
  US: 'the United States',
  GB: 'the United Kingdom',
  CN: 'China',
  RU: 'Russia',
  IR: 'Iran',
  TW: 'Taiwan',
  KP: 'North Korea',
  SY: 'Syria',
  LA: 'Laos',
  MD: 'Moldova',
  TZ: 'Tanzania',
  VA: 'the Vatican',
  NL: 'the Netherlands',
  PH: 'the Philippines',
  AE: 'the United Arab Emirates',
  CZ: 'Czechia',
  BS: 'the Bahamas',
  GM: 'the Gambia',
}

/** "US" → "the United States", "CN" → "China", "CA" → "Canada" (the reference name otherwise). */
export const shortName = (code: string): string => shortNames[code] ?? partyName(code)

/** "the United States" → "the United States'", "Canada" → "Canada's". */
export const possessive = (name: string): string => (name.endsWith('s') ? `${name}'` : `${name}'s`)

/** "Canada and China", "the United States, Mexico and Canada". */
export const listOfNames = (codes: readonly string[]): string => {
  const names = codes.map(shortName)
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/** Upper-cases the first letter, for a name that starts a sentence ("the United States" → "The United States"). */
export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** Adjectives a measure's own title may open with for its imposer ("Canadian surtax on US steel"). */
const demonyms: Readonly<Record<string, readonly string[]>> = {
  [EU]: ['EU', 'European'],
  US: ['US', 'U.S.', 'American'],
  CA: ['Canadian'],
  CN: ['Chinese'],
  MX: ['Mexican'],
  GB: ['UK', 'British'],
  JP: ['Japanese'],
  KR: ['South Korean', 'Korean'],
  IN: ['Indian'],
  AU: ['Australian'],
  BR: ['Brazilian'],
}

/** "Canadian surtax on US steel" imposed by CA → "surtax on US steel", so "Canada's …" never says "Canadian" twice. */
export const withoutDemonym = (title: string, imposer: string): string => {
  const opening = (demonyms[imposer] ?? []).find((d) => title.startsWith(`${d} `))
  return opening ? title.slice(opening.length + 1) : title
}
