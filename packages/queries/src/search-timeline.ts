import type { Database } from '@tradewatch/db'
import { type Kysely, sql } from 'kysely'

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
  let select = db
    .selectFrom('timeline')
    .select([
      'position',
      'event_type',
      'aggregate_id',
      sql<string>`to_char(occurred_on, 'YYYY-MM-DD')`.as('occurred_on'),
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
  if (query) select = select.where(sql<boolean>`search @@ ${query}`)
  if (query && (search.order ?? 'relevance') === 'relevance') select = select.orderBy(sql`ts_rank(search, ${query})`, 'desc')
  if (search.after) select = select.where(sql<boolean>`(occurred_on, position) < (${search.after.occurredOn}::date, ${search.after.position})`)
  if (search.country) select = select.where(sql<boolean>`countries @> ARRAY[${search.country}]::text[]`)
  if (search.hs) {
    const hs = search.hs
    select = select.where((eb) => eb.or([sql<boolean>`hs_prefixes @> ARRAY[${hs}]::text[]`, sql<boolean>`hs_codes && ${sql.val(prefixesOf(hs))}::text[]`]))
  }
  if (search.type) select = select.where('event_type', '=', search.type)
  if (search.from) select = select.where(sql<boolean>`occurred_on >= ${search.from}::date`)
  if (search.to) select = select.where(sql<boolean>`occurred_on < ${search.to}::date`)
  const rows = await select
    // Qualified: a bare occurred_on is the to_char output column, and sorting that text cannot use the index.
    .orderBy(sql`timeline.occurred_on`, 'desc')
    .orderBy('position', 'desc')
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
