import { evolveMeasure, initialMeasureState, type LiveMeasureState, type MeasureEvent, type MeasureState, type Rate } from '@tradewatch/domain'
import { worldDay } from '../measure-history/world-time.js'

/** What the projection keeps of each measure event: enough to replay its world-time effects. */
export interface StoredMeasureEvent {
  version: number
  position: number
  type: MeasureEvent['type']
  data: unknown
  occurredAt: string
  effectiveAt: string | null
}

/** One valid-time tariff line of a measure, before it gets its knowledge-time columns. */
export interface LineSpec {
  imposer: string
  origin: string
  excludedOrigins: string[]
  hsPrefix: string
  lineKind: 'hs' | 'national' | 'all'
  nomenclature: string | null
  kind: string
  direction: string
  authority: string | null
  rate: Rate | null
  exemptions: LineExemption[]
  quotas: LineQuota[]
  validFrom: string
  validTo: string | null
}

/** An exemption touching a line; `covers: 'all'` replaced the line's rate (or removed it), `'part'` only informs. */
export interface LineExemption {
  exemptionId: string
  covers: 'all' | 'part'
  rateWithin: Rate | null
  until: string | null
  scope: unknown
}

export type LineQuota = LiveMeasureState['quotas'][number]

/** A line's place in its measure's line set: unique, since a set never has two lines for one key. */
export const naturalKey = (line: Pick<LineSpec, 'origin' | 'hsPrefix' | 'lineKind' | 'validFrom'>) =>
  `${line.origin}|${line.lineKind}|${line.hsPrefix}|${line.validFrom}`

// The opening event defines the measure whatever its date; the rest apply on the day they take effect.
const sortKey = (event: StoredMeasureEvent) => (event.version === 1 ? '' : worldDay(event.effectiveAt ?? event.occurredAt))

/** A line with its content: everything but its valid-time bounds, as JSON (equal content on adjacent days is one line). */
export interface KeyedLine {
  line: LineSpec
  content: string
  /** Its naturalKey. */
  key: string
}

/**
 * What `lineSet` remembers of one measure between calls while its history only grows (events appended): each cut
 * day's folded state and pieces. A day's entry is reused while no new event takes effect by that day (the same
 * events are folded), so an event recomputes only the days from its own on, not the measure's whole past.
 */
export type LineSetMemo = Map<string, { folded: number; state: MeasureState; pieces: Map<string, { line: LineSpec; content: string }> }>

// What String#localeCompare does, without building a collator per call (ECMA-402: the same default collator).
const collate = new Intl.Collator().compare
/** The order lines are numbered in: by natural key, as String#localeCompare sorts them. */
export const byNaturalKey = (a: KeyedLine, b: KeyedLine) => collate(a.key, b.key)

/**
 * The measure's full valid-time line set, as its events so far say: the world state is folded with the domain's
 * evolve in effective-date order (so a late correction lands where it takes effect), cut at every date something
 * takes effect or ends, and adjacent pieces with the same content are merged. Pure and deterministic, in no
 * particular order (sort with byNaturalKey): `memo` only saves work across calls on one growing history.
 */
export function lineSet(events: readonly StoredMeasureEvent[], memo: LineSetMemo = new Map()): KeyedLine[] {
  const keyed = events.map((event) => ({ event, key: sortKey(event) }))
  // Sort keys are '' or YYYY-MM-DD, where code-unit order is date order.
  const ordered = keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.event.version - b.event.version))
  const days = new Set<string>()
  for (const { key } of ordered.slice(1)) days.add(key)
  for (const { event } of ordered) {
    const until = (event.data as { until?: string }).until
    if ((event.type === 'MeasureSuspended' || event.type === 'ExemptionGranted') && until) days.add(until)
  }
  const cuts = [...days].sort()
  const open = new Map<string, KeyedLine>()
  const done: KeyedLine[] = []
  // The state on a day folds the events that take effect by then: a prefix of `ordered`, so one fold serves every cut.
  let state: MeasureState = initialMeasureState
  let folded = 0
  let upTo = 0
  cuts.forEach((day, i) => {
    while (upTo < ordered.length && (ordered[upTo]?.key ?? '') <= day) upTo++
    let cut = memo.get(day)
    if (cut?.folded === upTo) state = cut.state
    else {
      for (; folded < upTo; folded++) {
        const { event } = ordered[folded] as (typeof ordered)[number]
        state = evolveMeasure(state, { type: event.type, data: event.data } as MeasureEvent)
      }
      cut = { folded: upTo, state, pieces: new Map(linesOn(state, day).map((line) => [pieceKey(line), { line, content: contentOf(line) }])) }
      memo.set(day, cut)
    }
    folded = upTo
    const next = cuts[i + 1] ?? null
    const continued = new Set<string>()
    for (const [key, held] of open) {
      const same = cut.pieces.get(key)
      if (same && same.content === held.content) {
        held.line.validTo = next
        continued.add(key)
      } else {
        done.push(held)
        open.delete(key)
      }
    }
    for (const [key, piece] of cut.pieces) {
      if (continued.has(key)) continue
      const line = { ...piece.line, validFrom: day, validTo: next }
      open.set(key, { line, content: piece.content, key: naturalKey(line) })
    }
  })
  return [...done, ...open.values()]
}

const pieceKey = (line: LineSpec) => `${line.origin}|${line.lineKind}|${line.hsPrefix}`
// Everything but the valid-time bounds: equal content on adjacent days is one line.
const contentOf = (line: LineSpec) => JSON.stringify({ ...line, validFrom: null, validTo: null })

// A suspension whose `until` has passed no longer holds, even before a MeasureReinstated is recorded.
const inForceOn = (state: MeasureState, day: string): state is LiveMeasureState =>
  state.status === 'in_force' || (state.status === 'suspended' && state.suspension?.until != null && state.suspension.until <= day)

function linesOn(state: MeasureState, day: string): LineSpec[] {
  // Tariff lines are what the imposer charges on goods coming in. Visa policies are measures on people, and export
  // controls restrict the imposer's own goods going out: neither is a line.
  if (!inForceOn(state, day) || state.kind === 'travel_visa' || state.kind === 'export_control') return []
  const exemptions = state.exemptions.filter((e) => e.until === null || e.until > day)
  const origins = originsOf(state.targets, exemptions)
  const own = [
    ...state.products.map((p): Product => ({ hsPrefix: p.code, lineKind: 'hs', nomenclature: p.nomenclature })),
    ...state.tariffLines.map((line): Product => ({ hsPrefix: line, lineKind: 'national', nomenclature: null })),
  ]
  // A measure that names no products covers them all: '' is a prefix of every code.
  if (own.length === 0) own.push({ hsPrefix: '', lineKind: 'all', nomenclature: null })
  return origins.flatMap(({ origin, excludedOrigins }) => {
    const products = [...own, ...exemptedUnder(own, exemptions, origin)]
    return products.flatMap((product) => {
      const touching = exemptions.flatMap((e) => {
        const covers = exemptionCover(e, origin, product.hsPrefix, product.lineKind)
        return covers ? [{ exemptionId: e.exemptionId, covers, rateWithin: e.rateWithin, until: e.until, scope: e.scope }] : []
      })
      const full = touching.filter((e) => e.covers === 'all').at(-1)
      // An exemption without a rate within lifts the duty entirely: no line while it lasts, unless a broader line of
      // the measure would then answer for these goods; that one gets a line without a rate, naming the exemption.
      const broader = products.some((p) => p.hsPrefix !== product.hsPrefix && product.hsPrefix.startsWith(p.hsPrefix))
      if (full && full.rateWithin === null && !broader) return []
      const quotas = state.quotas.filter(
        (q) =>
          (!q.origins || origin === '*' || q.origins.includes(origin)) &&
          overlaps(
            q.products?.map((p) => p.code),
            product.hsPrefix,
          ),
      )
      return [
        {
          imposer: state.imposer,
          origin,
          excludedOrigins,
          ...product,
          kind: state.kind,
          direction: state.direction,
          authority: state.legalBasis?.authority ?? null,
          rate: full ? full.rateWithin : state.rate,
          exemptions: touching,
          quotas,
          validFrom: day,
          validTo: null,
        },
      ]
    })
  })
}

type Product = Pick<LineSpec, 'hsPrefix' | 'lineKind' | 'nomenclature'>

/**
 * The codes under the measure's own that an exemption spares whole for `origin` (energy, HS 27, of a duty on all
 * goods): each gets a line of its own, so the most specific line on those goods carries the exemption's rate.
 */
function exemptedUnder(own: readonly Product[], exemptions: LiveMeasureState['exemptions'], origin: string): Product[] {
  const found = new Map<string, Product>()
  for (const e of exemptions) {
    const codes = [
      ...(e.scope.products ?? []).map((p): Product => ({ hsPrefix: p.code, lineKind: 'hs', nomenclature: p.nomenclature })),
      ...(e.scope.tariffLines ?? []).map((line): Product => ({ hsPrefix: line, lineKind: 'national', nomenclature: null })),
    ]
    for (const code of codes) {
      const under = own.some((p) => code.hsPrefix.startsWith(p.hsPrefix)) && !own.some((p) => p.hsPrefix === code.hsPrefix)
      if (under && exemptionCover(e, origin, code.hsPrefix, code.lineKind) === 'all') found.set(code.hsPrefix, code)
    }
  }
  return [...found.values()]
}

/**
 * The origins a measure's lines are for: each listed target, or '*' for erga omnes less its exclusions. An erga omnes
 * measure also gets a line of its own for each origin an exemption in force names (and '*' excludes it), so the
 * exemption can cover that origin's line whole instead of leaving it at the full rate.
 */
function originsOf(targets: LiveMeasureState['targets'], exemptions: LiveMeasureState['exemptions']): { origin: string; excludedOrigins: string[] }[] {
  if (targets.mode === 'listed') return targets.countries.map((origin) => ({ origin, excludedOrigins: [] }))
  const excluded = targets.mode === 'all_except' ? [...targets.excluded] : []
  const named = [...new Set(exemptions.flatMap((e) => e.scope.origins ?? []))].filter((origin) => !excluded.includes(origin)).sort()
  return [{ origin: '*', excludedOrigins: [...excluded, ...named] }, ...named.map((origin) => ({ origin, excludedOrigins: [] }))]
}

// Product scopes overlap when one code is a prefix of the other; no scope means every product.
const overlaps = (codes: readonly string[] | undefined, hsPrefix: string) =>
  codes === undefined || codes.length === 0 || codes.some((code) => code.startsWith(hsPrefix) || hsPrefix.startsWith(code))
const covering = (codes: readonly string[] | undefined, hsPrefix: string) =>
  codes === undefined || codes.length === 0 || codes.some((code) => hsPrefix.startsWith(code) && hsPrefix !== '')

/** Whether an exemption spares a whole line ('all'), some of it ('part': narrower products, other origins, a rule), or none. */
function exemptionCover(
  exemption: LiveMeasureState['exemptions'][number],
  origin: string,
  hsPrefix: string,
  lineKind: LineSpec['lineKind'],
): 'all' | 'part' | null {
  const { products, tariffLines, origins, originRule } = exemption.scope
  const codes = [...(products ?? []).map((p) => p.code), ...(tariffLines ?? [])]
  const scoped = codes.length > 0
  if (origins && origin !== '*' && !origins.includes(origin)) return null
  if (scoped && !overlaps(codes, hsPrefix)) return null
  // National lines only cover a national line of their own; HS codes cover any line under them.
  const productsCovered =
    !scoped ||
    (lineKind === 'national'
      ? covering(codes, hsPrefix)
      : covering(
          (products ?? []).map((p) => p.code),
          hsPrefix,
        ))
  const originsCovered = !origins || origin !== '*'
  return productsCovered && originsCovered && !originRule ? 'all' : 'part'
}
