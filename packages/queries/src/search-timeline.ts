import type { Database } from '@tradewatch/db'
import { type Kysely, type RawBuilder, sql } from 'kysely'

export interface TimelineSearch {
  /** Free text, web-search syntax ("EV surtax", "canola -oil", "\"preliminary arrangement\""), English stemming. */
  q?: string
  /** An ISO party code the event involves (imposer, target, party, origin). */
  country?: string
  /** An HS code or national line: events on it, under it or on a broader code above it. */
  hs?: string
  type?: string
  /** Occurred on or after this date (YYYY-MM-DD). */
  from?: string
  /** Occurred before this date (exclusive). */
  to?: string
  limit?: number
  /** `newest` (default without `q`): by occurrence date then position, descending; `relevance` (default with `q`): by rank first. */
  order?: 'relevance' | 'newest'
  /** Keyset paging in `newest` order: only entries after this one (older, or the same day at a lower position). */
  after?: { occurredOn: string; position: number }
}

export interface TimelineEntry {
  position: number
  eventType: string
  aggregateId: string
  occurredOn: string
  effectiveOn: string
  title: string
  summary: string
  countries: string[]
  hsCodes: string[]
  source: { kind: string; url: string; title: string; publisher: string | null; quote: string | null }
}

const prefixesOf = (hs: string) => [2, 4, 6, 8, 10].filter((n) => n <= hs.length).map((n) => hs.slice(0, n))

/** Timeline entries matching every given filter: by relevance when `q` is given, else newest first. */
export async function searchTimeline(db: Kysely<Database>, search: TimelineSearch): Promise<TimelineEntry[]> {
  if (search.hs !== undefined && !/^\d{2,10}$/.test(search.hs)) throw new Error(`hs must be 2 to 10 digits, got ${JSON.stringify(search.hs)}`)
  const query = search.q?.trim() ? sql`websearch_to_tsquery('english', ${search.q})` : undefined
  const conditions: RawBuilder<boolean>[] = []
  if (query) conditions.push(sql`timeline.search @@ ${query}`)
  if (search.after) conditions.push(sql`(timeline.occurred_on, timeline.position) < (${search.after.occurredOn}::date, ${search.after.position})`)
  if (search.country) conditions.push(sql`timeline.countries @> ARRAY[${search.country}]::text[]`)
  if (search.hs) conditions.push(sql`(timeline.hs_prefixes @> ARRAY[${search.hs}]::text[] OR timeline.hs_codes && ${sql.val(prefixesOf(search.hs))}::text[])`)
  if (search.type) conditions.push(sql`timeline.event_type = ${search.type}`)
  if (search.from) conditions.push(sql`timeline.occurred_on >= ${search.from}::date`)
  if (search.to) conditions.push(sql`timeline.occurred_on < ${search.to}::date`)
  const matching = conditions.length > 0 ? sql<boolean>`${sql.join(conditions, sql` AND `)}` : sql<boolean>`true`
  // Text with a country or a product: Postgres estimates their matches as independent, finds them far more common
  // than they are (a product is traded by few countries) and walks the whole date index newest first looking for
  // them (600 ms for none in 100,000 events). Matching through the GIN indexes first costs what the matches cost.
  const matchFirst = query !== undefined && (search.country !== undefined || search.hs !== undefined)
  let select = matchFirst
    ? db
        .with(
          (cte) => cte('hits').materialized(),
          (hits) => hits.selectFrom('timeline').select('timeline.position').where(matching),
        )
        .selectFrom('timeline')
        .innerJoin('hits', 'hits.position', 'timeline.position')
    : db.selectFrom('timeline').where(matching)
  if (query && (search.order ?? 'relevance') === 'relevance') select = select.orderBy(sql`ts_rank(timeline.search, ${query})`, 'desc')
  const rows = await select
    .select([
      'timeline.position',
      'event_type',
      'aggregate_id',
      sql<string>`to_char(timeline.occurred_on, 'YYYY-MM-DD')`.as('occurred_on'),
      sql<string>`to_char(effective_on, 'YYYY-MM-DD')`.as('effective_on'),
      'title',
      'summary',
      'countries',
      'hs_codes',
      'source_kind',
      'source_url',
      'source_title',
      'source_publisher',
      'source_quote',
    ])
    // Qualified: a bare occurred_on is the to_char output column, and sorting that text cannot use the index.
    .orderBy(sql`timeline.occurred_on`, 'desc')
    .orderBy('timeline.position', 'desc')
    .limit(search.limit ?? 50)
    .execute()
  return rows.map((r) => ({
    position: Number(r.position),
    eventType: r.event_type,
    aggregateId: r.aggregate_id,
    occurredOn: r.occurred_on,
    effectiveOn: r.effective_on,
    title: r.title,
    summary: r.summary,
    countries: r.countries,
    hsCodes: r.hs_codes,
    source: { kind: r.source_kind, url: r.source_url, title: r.source_title, publisher: r.source_publisher, quote: r.source_quote },
  }))
}
