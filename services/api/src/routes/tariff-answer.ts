import { type AppliedTariff, mostSpecificLine } from '@tradewatch/queries'
import { z } from 'zod'

export const tariffLineSchema = z.object({
  hsPrefix: z.string().describe("the line's HS code or national line; '' when the measure covers every product"),
  lineKind: z.string(),
  origin: z.string().describe("the origin the line names, or '*' for erga omnes"),
  ratePercent: z.number().nullable(),
  rate: z.unknown(),
  exemptions: z.array(z.unknown()),
  quotas: z.array(z.unknown()),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  recordedFrom: z.string(),
  recordedTo: z.string().nullable(),
})

export const appliedMeasureSchema = z.object({
  measureId: z.string(),
  title: z.string().nullable(),
  kind: z.string(),
  ratePercent: z.number().nullable().describe('the ad valorem rate of the most specific line covering the whole code asked; null if none or not ad valorem'),
  coverage: z.enum(['whole', 'part']).describe('part: only lines under the code asked apply (e.g. some national lines of a heading)'),
  lines: z.array(tariffLineSchema),
})

export const combinedDutySchema = z.object({
  percent: z.number().describe('sum of ratePercent over the measures covering the whole code'),
  complete: z.boolean().describe('false when a measure covers only part of the code, has no ad valorem rate, or its narrower lines differ'),
})

type AppliedMeasure = z.output<typeof appliedMeasureSchema>

const lineDto = (t: AppliedTariff): z.output<typeof tariffLineSchema> => ({
  hsPrefix: t.hsPrefix,
  lineKind: t.lineKind,
  origin: t.origin,
  ratePercent: t.ratePercent,
  rate: t.rate,
  exemptions: t.exemptions,
  quotas: t.quotas,
  validFrom: t.validFrom,
  validTo: t.validTo,
  recordedFrom: t.recordedFrom.toISOString(),
  recordedTo: t.recordedTo?.toISOString() ?? null,
})

/**
 * Groups the lines that applied by measure. A measure's rate for `hs` is its most specific line on `hs` or a broader
 * code (`mostSpecificLine`); duties of different measures stack.
 */
export function tariffAnswer(hs: string, applied: readonly AppliedTariff[]) {
  const byMeasure = new Map<string, AppliedTariff[]>()
  for (const line of applied) byMeasure.set(line.measureId, [...(byMeasure.get(line.measureId) ?? []), line])
  const measures: AppliedMeasure[] = []
  let percent = 0
  let complete = true
  for (const [measureId, lines] of byMeasure) {
    const covering = mostSpecificLine(hs, lines)
    const ratePercent = covering?.ratePercent ?? null
    const narrower = lines.filter((l) => l.hsPrefix.length > hs.length)
    if (ratePercent === null || narrower.some((l) => l.ratePercent !== ratePercent)) complete = false
    if (ratePercent !== null) percent += ratePercent
    measures.push({
      measureId,
      title: (lines[0] as AppliedTariff).title,
      kind: (lines[0] as AppliedTariff).kind,
      ratePercent,
      coverage: covering ? 'whole' : 'part',
      lines: lines.map(lineDto),
    })
  }
  return { measures, combinedAdditionalDuty: { percent, complete } }
}
