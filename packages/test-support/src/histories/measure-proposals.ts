import type { LiveMeasureState, MeasureEvent, MeasureKind, MeasureState, Product, Rate, Targets } from '@tradewatch/domain'
import type { Draw } from './draw.js'
import { addDays, authorities, commonPercents, currencyOf, euMembers, hsCodes, imposers, laterDay, nationalLines, origins, pct } from './world.js'

/** What the generator remembers of a measure beyond its decider state: ids to pick from and dates to correct. */
export interface MeasureTrack {
  id: string
  state: MeasureState
  /** World day of its latest definition (threat or announcement): nothing about it takes effect before. */
  definedOn: string
  /**
   * World day of its latest lifecycle step (announcement, entry into force, suspension, reinstatement, end): the next
   * step takes effect on or after it, however late it is recorded, so the world stays one the deciders would accept.
   */
  lifecycleDay: string
  /** World days of its rate changes, so a later correction can restate the rate from one of them. */
  rateDays: string[]
  exemptions: number
  quotas: number
}

/** A proposed fact with its world times; the decider still has to accept it. */
export interface Proposal<E> {
  event: E
  occurredAt: string
  effectiveAt?: string
}

/** Who else exists, for links and commitments. */
export interface Neighbours {
  measureIds: readonly string[]
  agreementIds: readonly string[]
}

type Imposer = (typeof imposers)[number]

const tariffKinds: readonly MeasureKind[] = ['tariff', 'tariff', 'surtax', 'surtax', 'anti_dumping', 'countervailing', 'safeguard', 'quota', 'other']
const otherKinds: readonly MeasureKind[] = ['import_ban', 'export_control', 'travel_visa']

const productOf = (code: string): Product => ({ code, nomenclature: 'HS2022' })

const rateOf = (draw: Draw, imposer: Imposer): Rate =>
  draw.chance(0.08)
    ? { type: 'specific', amount: draw.int(1, 5000) / 10, currency: currencyOf[imposer], unit: draw.pick(['KGM', 'TNE', 'NAR']) }
    : pct(draw.chance(0.6) ? draw.pick(commonPercents) : draw.int(1, 2000) / 10)

const targetsOf = (draw: Draw, imposer: string): Targets => {
  const others = origins.filter((o) => o !== imposer && !(imposer === 'EU' && euMembers.includes(o)))
  const roll = draw.int(0, 9)
  if (roll < 6) return { mode: 'listed', countries: draw.some(others, 1, 3) }
  if (roll < 8 || imposer === 'EU') return { mode: 'all' }
  return { mode: 'all_except', excluded: draw.some(others, 1, 3) }
}

/** A new measure: a threat (one in six) or an announcement, on real HS codes, to one or more targets or erga omnes. */
export function proposeOpening(draw: Draw, day: string, n: number): Proposal<MeasureEvent> {
  const imposer = draw.pick(imposers)
  const kind = draw.chance(0.06) ? draw.pick(otherKinds) : draw.pick(tariffKinds)
  const goods = kind !== 'travel_visa' && !draw.chance(0.08)
  const products = goods ? draw.some(hsCodes, 1, 4).map(productOf) : []
  const lines = goods && draw.chance(0.15) ? draw.some(nationalLines, 1, 2) : []
  const rate = kind === 'import_ban' || kind === 'travel_visa' || draw.chance(0.04) ? null : rateOf(draw, imposer)
  const threat = draw.chance(1 / 6)
  const planned = draw.chance(0.7) ? addDays(day, draw.int(7, 120)) : undefined
  const definition = {
    kind,
    title: `Generated ${kind.replace('_', ' ')} ${n} by ${imposer}`,
    imposer,
    targets: targetsOf(draw, imposer),
    products,
    ...(lines.length > 0 ? { tariffLines: lines } : {}),
    productText: products.length > 0 ? `goods of HS ${products.map((p) => p.code).join(', ')}` : 'all goods',
    rate,
    direction: draw.chance(0.15) ? ('liberalising' as const) : ('restrictive' as const),
    ...(planned ? { plannedEffectiveAt: planned } : {}),
  }
  const legalBasis = { jurisdiction: imposer, instrument: `Order ${n}`, authority: draw.pick(authorities) }
  const event: MeasureEvent = threat
    ? { type: 'MeasureThreatened', data: { ...definition, condition: 'if talks fail', statement: 'social_post' } }
    : { type: 'MeasureAnnounced', data: { ...definition, legalBasis } }
  return { event, occurredAt: day }
}

type Move = (draw: Draw, m: MeasureTrack & { state: LiveMeasureState }, day: string, neighbours: Neighbours) => Proposal<MeasureEvent> | undefined

/** Usually reported within days; one fact in eight arrives late, months after it happened (but not before `floor`). */
const occurredOn = (draw: Draw, m: MeasureTrack, day: string, floor = m.definedOn) =>
  laterDay(floor, addDays(day, draw.chance(0.125) ? -draw.int(20, 400) : -draw.int(0, 3)))

const effectiveFrom = (occurredAt: string, effectiveAt: string) => (effectiveAt === occurredAt ? {} : { effectiveAt })

const announce: Move = (draw, m, day) => {
  const s = m.state
  const legalBasis = { jurisdiction: s.imposer, instrument: `Order for ${m.id}`, authority: draw.pick(authorities) }
  const { status, announcementId, legalBasis: _, condition, suspension, exemptions, quotas, links, ending, tariffLines, plannedEffectiveAt, ...rest } = s
  return {
    event: {
      type: 'MeasureAnnounced',
      data: {
        ...rest,
        ...(tariffLines.length > 0 ? { tariffLines } : {}),
        ...(plannedEffectiveAt ? { plannedEffectiveAt } : {}),
        rate: s.rate ?? rateOf(draw, s.imposer as Imposer),
        legalBasis,
      },
    },
    occurredAt: laterDay(m.lifecycleDay, day),
  }
}

const postpone: Move = (draw, m, day) => {
  const occurredAt = occurredOn(draw, m, day)
  return { event: { type: 'MeasurePostponed', data: { newPlannedEffectiveAt: draw.chance(0.8) ? addDays(occurredAt, draw.int(10, 90)) : null } }, occurredAt }
}

const enterIntoForce: Move = (draw, m, day) => {
  const occurredAt = occurredOn(draw, m, day, m.lifecycleDay)
  const planned = m.state.plannedEffectiveAt
  // As planned, or on another day: days ahead of the report, or back-dated (a retroactive entry into force).
  const effectiveAt = laterDay(m.lifecycleDay, planned && draw.chance(0.6) ? planned : addDays(occurredAt, draw.int(-10, 45)))
  return { event: { type: 'MeasureEnteredIntoForce', data: {} }, occurredAt, ...effectiveFrom(occurredAt, effectiveAt) }
}

const changeRate: Move = (draw, m, day) => {
  const occurredAt = occurredOn(draw, m, day)
  const roll = draw.int(0, 9)
  // A correction restates the rate from a day an earlier change took effect; others take effect now or later.
  const effectiveAt = roll < 2 && m.rateDays.length > 0 ? draw.pick(m.rateDays) : roll < 5 ? occurredAt : addDays(occurredAt, draw.int(1, 120))
  const after = draw.chance(0.05) ? null : rateOf(draw, m.state.imposer as Imposer)
  const before = draw.chance(0.5) ? { before: m.state.rate } : {}
  return { event: { type: 'MeasureRateChanged', data: { ...before, after } }, occurredAt, ...effectiveFrom(occurredAt, effectiveAt) }
}

const changeScope: Move = (draw, m, day) => {
  const s = m.state
  const occurredAt = occurredOn(draw, m, day)
  const roll = draw.int(0, 3)
  const inScope = s.products.map((p) => p.code)
  let data: Extract<MeasureEvent, { type: 'MeasureScopeChanged' }>['data'] | undefined
  if (roll === 0)
    data = {
      addedProducts: draw
        .some(
          hsCodes.filter((c) => !inScope.includes(c)),
          1,
          2,
        )
        .map(productOf),
    }
  else if (roll === 1 && inScope.length > 1) data = { removedProducts: draw.some(inScope, 1, 1).map(productOf) }
  else if (roll === 2) {
    const others = origins.filter((o) => o !== s.imposer && !(s.imposer === 'EU' && euMembers.includes(o)))
    data = { addedTargets: draw.some(others, 1, 2) }
  } else if (s.targets.mode === 'listed' && s.targets.countries.length > 1) data = { removedTargets: draw.some(s.targets.countries, 1, 1) }
  else if (s.targets.mode === 'all')
    data = {
      removedTargets: draw.some(
        origins.filter((o) => o !== s.imposer),
        1,
        1,
      ),
    }
  return data && { event: { type: 'MeasureScopeChanged', data }, occurredAt, ...effectiveFrom(occurredAt, addDays(occurredAt, draw.int(0, 30))) }
}

const grantExemption: Move = (draw, m, day) => {
  const s = m.state
  const occurredAt = occurredOn(draw, m, day)
  const effectiveAt = addDays(occurredAt, draw.int(0, 30))
  const roll = draw.int(0, 9)
  // Relief for some products (the code itself or one under it), for some origins, or for goods meeting an origin rule.
  const codes = s.products.map((p) => p.code)
  const narrower = (code: string) => draw.pick([code, ...hsCodes.filter((c) => c.length > code.length && c.startsWith(code))])
  const scope =
    roll < 5 && codes.length > 0
      ? { products: [...new Set(draw.some(codes, 1, 2).map(narrower))].map(productOf) }
      : roll < 8
        ? { origins: s.targets.mode === 'listed' ? draw.some(s.targets.countries, 1, 2) : draw.some(origins, 1, 2) }
        : { originRule: draw.pick(['USMCA-qualifying', 'CUSMA-compliant', 'in transit before entry into force']) }
  const rateWithin = draw.chance(0.5) ? { rateWithin: draw.chance(0.3) ? pct(0) : pct(draw.int(1, 150) / 10) } : {}
  const until = draw.chance(0.5) ? { until: addDays(effectiveAt, draw.int(30, 500)) } : {}
  return {
    event: { type: 'ExemptionGranted', data: { exemptionId: `ex-${m.exemptions + 1}`, ...scope, ...rateWithin, ...until } },
    occurredAt,
    ...effectiveFrom(occurredAt, effectiveAt),
  }
}

const revokeExemption: Move = (draw, m, day) => {
  if (m.state.exemptions.length === 0) return undefined
  const occurredAt = occurredOn(draw, m, day)
  return { event: { type: 'ExemptionRevoked', data: { exemptionId: draw.pick(m.state.exemptions).exemptionId } }, occurredAt }
}

const setQuota: Move = (draw, m, day) => ({
  event: {
    type: 'TariffRateQuotaSet',
    data: {
      quotaId: `q-${m.quotas + 1}`,
      quantity: draw.int(1, 500) * 100,
      unit: draw.pick(['NAR', 'TNE']),
      period: 'calendar_year',
      inQuotaRate: pct(draw.int(0, 100) / 10),
      outQuotaRate: null,
    },
  },
  occurredAt: occurredOn(draw, m, day),
})

const changeQuota: Move = (draw, m, day) =>
  m.state.quotas.length === 0
    ? undefined
    : {
        event: { type: 'TariffRateQuotaChanged', data: { quotaId: draw.pick(m.state.quotas).quotaId, quantity: draw.int(1, 500) * 100 } },
        occurredAt: occurredOn(draw, m, day),
      }

const suspend: Move = (draw, m, day) => {
  const occurredAt = occurredOn(draw, m, day, m.lifecycleDay)
  const effectiveAt = addDays(occurredAt, draw.int(0, 30))
  const until = draw.chance(0.7) ? { until: addDays(effectiveAt, draw.int(30, 365)) } : {}
  return {
    event: { type: 'MeasureSuspended', data: { ...until, reason: 'a reprieve while talks go on' } },
    occurredAt,
    ...effectiveFrom(occurredAt, effectiveAt),
  }
}

const reinstate: Move = (draw, m, day) => {
  const occurredAt = occurredOn(draw, m, day, m.lifecycleDay)
  return { event: { type: 'MeasureReinstated', data: {} }, occurredAt, ...effectiveFrom(occurredAt, addDays(occurredAt, draw.int(0, 10))) }
}

const end: Move = (draw, m, day) => {
  const occurredAt = occurredOn(draw, m, day, m.lifecycleDay)
  const effective = effectiveFrom(occurredAt, addDays(occurredAt, draw.int(0, 90)))
  const roll = draw.int(0, 9)
  const event: MeasureEvent =
    roll < 6
      ? { type: 'MeasureRevoked', data: { reason: draw.pick(['repealed', 'replaced', 'deal', 'withdrawn'] as const) } }
      : roll < 8
        ? { type: 'MeasureExpired', data: {} }
        : { type: 'MeasureInvalidatedByCourt', data: { court: 'Court of International Trade', refundStatus: 'pending' } }
  return { event, occurredAt, ...effective }
}

const link: Move = (draw, m, day, { measureIds, agreementIds }) => {
  const others = measureIds.filter((id) => id !== m.id)
  const toAgreement = agreementIds.length > 0 && (others.length === 0 || draw.chance(0.3))
  if (!toAgreement && others.length === 0) return undefined
  const target = toAgreement
    ? { aggregateType: 'agreement' as const, id: draw.pick(agreementIds) }
    : { aggregateType: 'measure' as const, id: draw.pick(others) }
  const relation = toAgreement ? 'implements_commitment' : draw.pick(['retaliation_for', 'counter_to', 'replaces', 'part_of_thread'] as const)
  return { event: { type: 'MeasureLinked', data: { relation, target } }, occurredAt: occurredOn(draw, m, day) }
}

// Repeated entries weigh a move: a measure in force mostly changes rate, gains exemptions or is suspended.
const movesByStatus: Record<LiveMeasureState['status'], readonly Move[]> = {
  threatened: [announce, announce, announce, postpone, changeRate, changeScope, end, link],
  announced: [enterIntoForce, enterIntoForce, enterIntoForce, enterIntoForce, postpone, changeRate, changeScope, grantExemption, setQuota, end, link],
  in_force: [
    changeRate,
    changeRate,
    changeRate,
    changeScope,
    grantExemption,
    grantExemption,
    revokeExemption,
    setQuota,
    changeQuota,
    suspend,
    suspend,
    end,
    link,
  ],
  suspended: [reinstate, reinstate, reinstate, suspend, changeRate, grantExemption, end, link],
  revoked: [link],
  expired: [link],
  invalidated_by_court: [link],
}

/** A next fact for a live (or ended, for links) measure, or undefined when the drawn move does not fit it. */
export function proposeMeasureMove(draw: Draw, m: MeasureTrack, day: string, neighbours: Neighbours): Proposal<MeasureEvent> | undefined {
  if (m.state.status === 'none') return undefined
  const live = m as MeasureTrack & { state: LiveMeasureState }
  return draw.pick(movesByStatus[live.state.status])(draw, live, day, neighbours)
}
