import type { MeasureEventData, Rate, Targets } from '@tradewatch/domain'

/** What the oracle reads of an envelope (a parsed `EventEnvelope`, or a generated history's `toEnvelope`). */
export interface OracleEvent {
  type: string
  aggregateType: string
  aggregateId: string
  position: number
  occurredAt: string
  effectiveAt: string | null
  recordedAt: string
  data: unknown
}

export interface TariffQuestion {
  imposer: string
  origin: string
  /** 2–10 digits; a measure applies when one of its codes is a prefix of it or it is a prefix of one of them. */
  hs: string
  /** World day (YYYY-MM-DD). */
  asOf: string
  /** Knowledge instant: only events recorded at or before it count. Absent: everything. */
  knownAt?: string
}

export interface OracleTariff {
  measureId: string
  kind: string
  /** The measure's own rate on `asOf`. */
  rate: Rate | null
  /** The exemption that covers the goods, if any (the latest granted when several do). */
  exemptionId: string | null
  /** What applies to these goods: the exemption's rate within it, else the measure's rate. */
  appliedRate: Rate | null
  /** `part`: the measure names only codes under `hs`, so it covers some of those goods and adds no duty to all of them. */
  coverage: 'whole' | 'part'
  /** The applied ad valorem percent on all goods of `hs`; 0 for part coverage, a specific rate or none (those are not summed). */
  additionalPercent: number
  /** Exemptions that may cover the goods but depend on an origin rule the question cannot settle. */
  conditionalExemptionIds: string[]
  quotaIds: string[]
}

export interface TariffAnswer {
  tariffs: OracleTariff[]
  /** Sum of the applied ad valorem percents of the measures covering the whole code. */
  combinedAdditionalPercent: number
}

/** Kinds that are not duties on imported goods, so a tariff question never shows them. */
const notImportDuties = ['travel_visa', 'export_control']

const definitions = ['MeasureAnnounced', 'MeasureThreatened']
const endings = ['MeasureRevoked', 'MeasureExpired', 'MeasureInvalidatedByCourt']

type Definition = MeasureEventData<'MeasureAnnounced'> | MeasureEventData<'MeasureThreatened'>

/** World day of an event: when it takes effect, else when it happened. */
const dayOf = (e: OracleEvent) => (e.effectiveAt ?? e.occurredAt).slice(0, 10)

/** World order: by the day it takes effect; on the same day, the later recorded fact wins. */
const inWorldOrder = (events: readonly OracleEvent[]) =>
  [...events].sort((a, b) => (dayOf(a) < dayOf(b) ? -1 : dayOf(a) > dayOf(b) ? 1 : a.position - b.position))

/** Of the events in effect on `asOf`, the last in world order. */
const lastInEffect = (events: readonly OracleEvent[], asOf: string) => inWorldOrder(events.filter((e) => dayOf(e) <= asOf)).at(-1)

const overlaps = (code: string, hs: string) => code.startsWith(hs) || hs.startsWith(code)

const coversOrigin = (targets: Targets, imposer: string, origin: string) =>
  origin !== imposer && (targets.mode === 'listed' ? targets.countries.includes(origin) : targets.mode === 'all' || !targets.excluded.includes(origin))

const percentOf = (rate: Rate | null) => (rate?.type === 'ad_valorem' ? rate.percent : 0)

interface Scope {
  codes: string[]
  targets: Targets
}

function changeScope(scope: Scope, change: MeasureEventData<'MeasureScopeChanged'>): Scope {
  const removedCodes = [...(change.removedProducts ?? []).map((p) => p.code), ...(change.removedTariffLines ?? [])]
  const addedCodes = [...(change.addedProducts ?? []).map((p) => p.code), ...(change.addedTariffLines ?? [])]
  const codes = [...scope.codes, ...addedCodes.filter((c) => !scope.codes.includes(c))].filter((c) => !removedCodes.includes(c))
  const added = change.addedTargets ?? []
  const removed = change.removedTargets ?? []
  const t = scope.targets
  let targets: Targets
  if (t.mode === 'listed')
    targets = { mode: 'listed', countries: [...t.countries, ...added.filter((c) => !t.countries.includes(c))].filter((c) => !removed.includes(c)) }
  else {
    const excluded = [...(t.mode === 'all_except' ? t.excluded : []).filter((c) => !added.includes(c)), ...removed]
    targets = excluded.length === 0 ? { mode: 'all' } : { mode: 'all_except', excluded: [...new Set(excluded)] }
  }
  return { codes, targets }
}

/**
 * An independent answer to "which measures did `imposer` apply to goods of `hs` from `origin` on `asOf`, as known at
 * `knownAt`", folded straight from the raw events (the test oracle for the tariff-lines read model and /v1/tariffs).
 *
 * Knowledge time: only events recorded at or before `knownAt`. World time, per measure, from the events after its
 * last announcement: it applies from its entry into force (effectiveAt, else occurredAt) until the day it was
 * revoked, expired or struck down (exclusive); not while the latest suspension or reinstatement in effect is a
 * suspension whose `until` has not come. Rate, scope and exemptions are the latest in effect on `asOf` in world order
 * (so a late or corrected fact changes the past from its own effective day). HS codes and national lines match by
 * prefix both ways; a measure naming no codes covers all goods, one naming only codes under `hs` covers part of them
 * (listed, but not summed). Targets: listed, all, or all except the excluded,
 * never the imposer's own goods. An exemption applies when its products (if any) contain `hs`, its origins (if any)
 * include `origin` and it has no origin rule: its rate within replaces the measure's, and without one the measure
 * no longer applies to those goods (nor, for part coverage, when every code under `hs` is so spared). An exemption
 * with an origin rule is only reported as conditional.
 */
export function tariffsFromEvents(events: readonly OracleEvent[], question: TariffQuestion): TariffAnswer {
  const knownAt = question.knownAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(question.knownAt)
  const tariffs: OracleTariff[] = []
  for (const [measureId, history] of measureHistories(events)) {
    const known = history.filter((e) => Date.parse(e.recordedAt) <= knownAt)
    const tariff = known.length > 0 ? measureTariff(measureId, known, question) : undefined
    if (tariff) tariffs.push(tariff)
  }
  tariffs.sort((a, b) => (a.measureId < b.measureId ? -1 : 1))
  return { tariffs, combinedAdditionalPercent: round(tariffs.reduce((sum, t) => sum + t.additionalPercent, 0)) }
}

// Grouped once per event list: a test asks hundreds of questions of the same 10,000 events.
const grouped = new WeakMap<readonly OracleEvent[], Map<string, OracleEvent[]>>()

/** Each measure's events in position order. */
function measureHistories(events: readonly OracleEvent[]): Map<string, OracleEvent[]> {
  let byMeasure = grouped.get(events)
  if (byMeasure === undefined) {
    byMeasure = new Map()
    for (const e of [...events].sort((a, b) => a.position - b.position)) {
      if (e.aggregateType === 'measure') byMeasure.set(e.aggregateId, [...(byMeasure.get(e.aggregateId) ?? []), e])
    }
    grouped.set(events, byMeasure)
  }
  return byMeasure
}

const round = (n: number) => Math.round(n * 1e6) / 1e6

function measureTariff(measureId: string, history: readonly OracleEvent[], { imposer, origin, hs, asOf }: TariffQuestion): OracleTariff | undefined {
  const opening = history.findLastIndex((e) => definitions.includes(e.type))
  if (opening < 0) return undefined
  const definition = history[opening]?.data as Definition
  if (definition.imposer !== imposer || notImportDuties.includes(definition.kind)) return undefined
  // An announcement after a threat restates the whole measure: what came before it no longer counts.
  const since = history.slice(opening + 1)
  const ofType = (...types: string[]) => since.filter((e) => types.includes(e.type))

  const inForce = ofType('MeasureEnteredIntoForce').map(dayOf)[0]
  const ended = ofType(...endings).map(dayOf)[0]
  if (inForce === undefined || asOf < inForce || (ended !== undefined && asOf >= ended)) return undefined
  const pause = lastInEffect(ofType('MeasureSuspended', 'MeasureReinstated'), asOf)
  if (pause?.type === 'MeasureSuspended') {
    const until = (pause.data as MeasureEventData<'MeasureSuspended'>).until
    if (until === undefined || asOf < until) return undefined
  }

  const initial: Scope = { codes: [...definition.products.map((p) => p.code), ...(definition.tariffLines ?? [])], targets: definition.targets }
  const scope = inWorldOrder(ofType('MeasureScopeChanged').filter((e) => dayOf(e) <= asOf)).reduce(
    (s, e) => changeScope(s, e.data as MeasureEventData<'MeasureScopeChanged'>),
    initial,
  )
  if (!coversOrigin(scope.targets, imposer, origin)) return undefined
  if (scope.codes.length > 0 && !scope.codes.some((code) => overlaps(code, hs))) return undefined

  const coverage = scope.codes.length === 0 || scope.codes.some((code) => hs.startsWith(code)) ? 'whole' : 'part'
  const rateChange = lastInEffect(ofType('MeasureRateChanged'), asOf)
  const rate = rateChange ? (rateChange.data as MeasureEventData<'MeasureRateChanged'>).after : definition.rate

  const exemptions = activeExemptions(ofType('ExemptionGranted', 'ExemptionRevoked'), asOf)
  // The exemption sparing all goods of `code` from `origin`: the latest granted when several do (the later act decides).
  const sparing = (code: string) =>
    exemptions
      .filter(
        (x) =>
          x.originRule === undefined &&
          (x.origins === undefined || x.origins.includes(origin)) &&
          (x.codes.length === 0 || x.codes.some((c) => code.startsWith(c))),
      )
      .at(-1)
  // One without a rate within lifts the measure from those goods.
  const lifted = (code: string) => {
    const x = sparing(code)
    return x !== undefined && x.rateWithin === undefined
  }
  if (coverage === 'whole' ? lifted(hs) : scope.codes.filter((code) => code.startsWith(hs)).every(lifted)) return undefined
  const best = sparing(hs)
  const appliedRate = best ? (best.rateWithin ?? null) : rate
  const conditional = exemptions.filter((x) => x.originRule !== undefined && (x.origins === undefined || x.origins.includes(origin)))
  const quotaIds = ofType('TariffRateQuotaSet')
    .filter((e) => dayOf(e) <= asOf)
    .map((e) => (e.data as MeasureEventData<'TariffRateQuotaSet'>).quotaId)
  return {
    measureId,
    kind: definition.kind,
    rate,
    exemptionId: best?.exemptionId ?? null,
    appliedRate,
    coverage,
    additionalPercent: coverage === 'whole' ? percentOf(appliedRate) : 0,
    conditionalExemptionIds: conditional.map((x) => x.exemptionId),
    quotaIds: [...new Set(quotaIds)].sort(),
  }
}

type Exemption = MeasureEventData<'ExemptionGranted'> & { codes: string[] }

/** Exemptions whose latest grant or revocation in effect on `asOf` is a grant that has not run out, in world order of grant. */
function activeExemptions(events: readonly OracleEvent[], asOf: string): Exemption[] {
  const granted = inWorldOrder(events.filter((e) => e.type === 'ExemptionGranted' && dayOf(e) <= asOf))
  // Ordered by each id's latest grant.
  const ids = [...new Set(granted.map((e) => (e.data as { exemptionId: string }).exemptionId).reverse())].reverse()
  return ids.flatMap((id) => {
    const last = lastInEffect(
      events.filter((e) => (e.data as { exemptionId: string }).exemptionId === id),
      asOf,
    )
    if (last?.type !== 'ExemptionGranted') return []
    const grant = last.data as MeasureEventData<'ExemptionGranted'>
    if (grant.until !== undefined && asOf >= grant.until) return []
    return [{ ...grant, codes: [...(grant.products ?? []).map((p) => p.code), ...(grant.tariffLines ?? [])] }]
  })
}
