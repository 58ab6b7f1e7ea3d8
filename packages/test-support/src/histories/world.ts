import { hsEntry, type Rate } from '@tradewatch/domain'

/** Parties that impose measures in generated histories (the EU as a bloc beside countries). */
export const imposers = ['US', 'CA', 'CN', 'MX', 'EU', 'JP', 'IN', 'BR', 'GB', 'KR', 'AU', 'TR', 'ZA', 'VN', 'ID'] as const

/** Countries goods come from; EU members only as origins, so no EU measure targets one of its own. */
export const origins = ['US', 'CA', 'CN', 'MX', 'JP', 'IN', 'BR', 'GB', 'KR', 'AU', 'TR', 'ZA', 'VN', 'ID', 'DE', 'FR', 'IT', 'TH', 'MY', 'CL'] as const

export const euMembers: readonly string[] = ['DE', 'FR', 'IT']

export const currencyOf: Record<(typeof imposers)[number], string> = {
  US: 'USD',
  CA: 'CAD',
  CN: 'CNY',
  MX: 'MXN',
  EU: 'EUR',
  JP: 'JPY',
  IN: 'INR',
  BR: 'BRL',
  GB: 'GBP',
  KR: 'KRW',
  AU: 'AUD',
  TR: 'TRY',
  ZA: 'ZAR',
  VN: 'VND',
  ID: 'IDR',
}

// biome-ignore format: one sector a line
/**
 * Real HS 2022 codes at 2, 4 and 6 digits from the sectors trade disputes are about (vehicles, metals, oilseeds,
 * meat and seafood, semiconductors, energy, fertiliser, spirits, apparel), nested so prefixes overlap.
 */
export const hsCodes: readonly string[] = [
  '87', '8703', '870380', '870340', '870323', '8704', '870421', '8708', '870899',
  '72', '7208', '720851', '7210', '7306', '76', '7601', '760110', '7606',
  '12', '1205', '120510', '1514', '151411', '2306', '230641', '0713', '071310',
  '02', '0203', '020329', '03', '0306', '030612', '030632',
  '85', '8541', '854143', '8507', '850760', '8471', '847130', '8517', '851713',
  '27', '2709', '2710', '271012', '31', '3104', '310420',
  '22', '2208', '220820', '61', '6109', '610910', '94', '9403', '940360',
  '84', '8429', '8479', '10', '1001', '100199', '44', '4407', '440710',
].filter((code) => hsEntry(code) !== undefined)

/** National tariff lines (8 digits) under the 6-digit codes, as an imposer's own schedule would carry them. */
export const nationalLines: readonly string[] = hsCodes.filter((code) => code.length === 6).flatMap((code) => [`${code}00`, `${code}10`])

export const authorities = ['IEEPA', 's232', 's301', 's122', 'Customs Tariff s.53', 'MOFCOM ruling', 'Tariff Commission notice', 'safeguard regulation']

/** Ad valorem rates seen in real measures, plus any percent with one decimal. */
export const commonPercents = [5, 6.1, 7.5, 10, 15, 20, 25, 30, 35, 50, 75.8, 100, 125, 145]

export const pct = (percent: number): Rate => ({ type: 'ad_valorem', percent })

const dayMs = 86_400_000

/** `day` (YYYY-MM-DD) moved by `days`. */
export const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)

/** The calendar day of an instant in UTC. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

export const laterDay = (a: string, b: string): string => (a > b ? a : b)
