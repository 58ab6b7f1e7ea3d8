import { z } from 'zod'
import { setOf, textSchema } from '../primitives.js'
import { partyCodeSchema } from '../reference/countries.js'
import { currencyCodeSchema } from '../reference/currencies.js'
import { hsDigitsSchema, hsEntry, hsNomenclatures, isKnownHsChapter } from '../reference/hs.js'

/** What kind of intervention a measure is; maps onto UNCTAD MAST chapters and GTA types downstream. */
export const measureKinds = [
  'tariff',
  'surtax',
  'anti_dumping',
  'countervailing',
  'safeguard',
  'quota',
  'import_ban',
  'export_control',
  'travel_visa',
  'other',
] as const
export type MeasureKind = (typeof measureKinds)[number]

/** Whether a measure makes trade or travel harder or easier for the targets. */
export const directions = ['restrictive', 'liberalising'] as const
export type Direction = (typeof directions)[number]

/** Who a measure applies to. `all` is erga omnes; `all_except` names the spared parties. */
export const targetsSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('listed'), countries: setOf(partyCodeSchema, 300).min(1) }),
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({ mode: z.literal('all_except'), excluded: setOf(partyCodeSchema, 300).min(1) }),
])
export type Targets = z.infer<typeof targetsSchema>

/** A product scope entry: an HS code with its edition. HS 2022 codes must exist; older editions are checked by chapter. */
export const productSchema = z
  .strictObject({
    code: hsDigitsSchema,
    nomenclature: z.enum(hsNomenclatures).default('HS2022'),
  })
  .superRefine((product, ctx) => {
    if (product.nomenclature === 'HS2022' ? hsEntry(product.code) === undefined : !isKnownHsChapter(product.code)) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: `${product.code} is not a code of ${product.nomenclature}` })
    }
  })
export type Product = z.infer<typeof productSchema>

/** A national tariff line (8–10 digits) in the imposer's own schedule, e.g. a Canadian tariff item `87038000`. */
export const tariffLineSchema = z
  .string()
  .regex(/^\d{8,10}$/, { message: 'must be 8 to 10 digits (a national tariff line)', abort: true })
  .refine(isKnownHsChapter, { message: 'does not start with a known HS chapter' })

export const productsSchema = setOf(productSchema, 1000)
export const tariffLinesSchema = setOf(tariffLineSchema, 5000)

/** Provisional trade-remedy duties are often a deposit (security) rather than a duty; both are a rate. */
export const rateForms = ['duty', 'deposit'] as const

/**
 * The rate of the measure itself (the additional duty, not the total with MFN).
 * Specific rates use ISO 4217 currencies and UN/CEFACT Recommendation 20 unit codes (e.g. `KGM`, `NAR`).
 */
export const rateSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ad_valorem'),
    percent: z.number().min(0).max(10_000),
    form: z.enum(rateForms).optional(),
  }),
  z.strictObject({
    type: z.literal('specific'),
    amount: z.number().positive().max(1e9),
    currency: currencyCodeSchema,
    unit: z.string().regex(/^[A-Z0-9]{2,3}$/, 'must be a UN/CEFACT Recommendation 20 unit code, e.g. KGM'),
    form: z.enum(rateForms).optional(),
  }),
])
export type Rate = z.infer<typeof rateSchema>

/** A rate, or null when the source gives none (e.g. a threat, an import ban). */
export const optionalRateSchema = rateSchema.nullable()

/** The legal footing of a measure. `authority` is the stacking key and what a court strikes down (IEEPA, s232…). */
export const legalBasisSchema = z.strictObject({
  jurisdiction: partyCodeSchema,
  instrument: textSchema(200).describe('e.g. "EO 14193", "SOR/2024-187", "MOFCOM ruling"'),
  citation: textSchema(500).optional(),
  authority: textSchema(100).optional().describe('e.g. "IEEPA", "s232", "Customs Tariff s.53"'),
})
export type LegalBasis = z.infer<typeof legalBasisSchema>

/** What an exemption spares: products, origins, or goods meeting an origin rule; at least one. */
export const exemptionScopeShape = {
  products: productsSchema.optional(),
  tariffLines: tariffLinesSchema.optional(),
  origins: setOf(partyCodeSchema, 300).optional(),
  originRule: textSchema(200).optional().describe('e.g. "USMCA-qualifying"'),
}

export const quotaPeriods = ['calendar_year', 'quota_year', 'half_year', 'quarter', 'month', 'whole_term'] as const
