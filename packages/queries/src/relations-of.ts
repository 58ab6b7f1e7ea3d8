import type { Database } from '@tradewatch/db'
import { type Kysely, sql } from 'kysely'
import { ERGA_OMNES } from './erga-omnes.js'

export interface RelationPair {
  imposer: string
  /** A party, or '*' for the country's own erga omnes measures. */
  partner: string
  /** Measures on record between them, of any status (which are active is relationSummary's question). */
  measures: number
  agreements: number
  lastPosition: number
}

/**
 * Every ordered pair one country is in: measures it imposes or faces (erga omnes ones that do not spare it
 * included) and agreements it is party to, with how many of each and the position of the pair's last change.
 */
export async function relationsOf(db: Kysely<Database>, country: string): Promise<RelationPair[]> {
  const [measures, agreements] = await Promise.all([
    db
      .selectFrom('relation_measures')
      .select(['imposer', 'partner', 'last_position'])
      .where((eb) =>
        eb.or([
          eb('imposer', '=', country),
          eb('partner', '=', country),
          eb.and([eb('partner', '=', ERGA_OMNES), eb.not(eb(eb.val(country), '=', eb.fn.any('excluded')))]),
        ]),
      )
      .where('in_scope', '=', true)
      .execute(),
    db
      .selectFrom('relation_agreements')
      .select(['party_a', 'party_b', sql<string>`max(last_position)`.as('last_position'), sql<number>`count(*)::int`.as('n')])
      .where((eb) => eb.or([eb('party_a', '=', country), eb('party_b', '=', country)]))
      .groupBy(['party_a', 'party_b'])
      .execute(),
  ])
  const pairs = new Map<string, RelationPair>()
  const pair = (imposer: string, partner: string) => {
    const key = `${imposer}>${partner}`
    const found = pairs.get(key) ?? { imposer, partner, measures: 0, agreements: 0, lastPosition: 0 }
    pairs.set(key, found)
    return found
  }
  for (const m of measures) {
    // Someone else's erga omnes measure is a measure on this country.
    const p = pair(m.imposer, m.partner === ERGA_OMNES && m.imposer !== country ? country : m.partner)
    p.measures += 1
    p.lastPosition = Math.max(p.lastPosition, Number(m.last_position))
  }
  for (const a of agreements) {
    const p = pair(a.party_a, a.party_b)
    p.agreements += a.n
    p.lastPosition = Math.max(p.lastPosition, Number(a.last_position))
  }
  return [...pairs.values()].sort((x, y) => x.imposer.localeCompare(y.imposer) || x.partner.localeCompare(y.partner))
}
