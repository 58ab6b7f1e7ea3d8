import type { Database, TimelineTable } from '@tradewatch/db'
import { type Insertable, sql, type Transaction } from 'kysely'

type Row = Omit<Insertable<TimelineTable>, 'search'>

/**
 * Inserts timeline rows with their `search` vector, each of its three weighted parts computed once per distinct
 * text in the batch: most rows share their title, summary or source with others, and to_tsvector was most of
 * the insert's cost. Must mirror the migration's trigger (2026-11-29T1900_timeline_search_per_text), which fills
 * it for writers that leave it out. All rows in one jsonb parameter, as insertJsonRows does.
 */
export async function insertTimelineRows(trx: Transaction<Database>, rows: readonly Row[]): Promise<void> {
  const columns = Object.keys(rows[0] ?? {})
  if (columns.length === 0) return
  const body = (r: string) => sql`${sql.ref(`${r}.summary`)} || ' ' || coalesce(${sql.ref(`${r}.product_text`)}, '')`
  const source = (r: string) => sql`${sql.ref(`${r}.source_title`)} || ' ' || coalesce(${sql.ref(`${r}.source_quote`)}, '')`
  await sql`
    WITH r AS MATERIALIZED (SELECT * FROM jsonb_populate_recordset(NULL::timeline, ${JSON.stringify(rows)}::jsonb)),
      a AS (SELECT t, setweight(to_tsvector('english', t), 'A') AS v FROM (SELECT DISTINCT title AS t FROM r) AS d),
      b AS (SELECT t, setweight(to_tsvector('english', t), 'B') AS v FROM (SELECT DISTINCT ${body('r')} AS t FROM r) AS d),
      c AS (SELECT t, setweight(to_tsvector('english', t), 'C') AS v FROM (SELECT DISTINCT ${source('r')} AS t FROM r) AS d)
    INSERT INTO timeline (${sql.join(columns.map((c) => sql.ref(c)))}, search)
    SELECT ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))}, a.v || b.v || c.v
    FROM r JOIN a ON a.t = r.title JOIN b ON b.t = ${body('r')} JOIN c ON c.t = ${source('r')}`.execute(trx)
}
