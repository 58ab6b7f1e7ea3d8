import type { Database } from '@tradewatch/db'
import { type Insertable, sql, type Transaction } from 'kysely'

type Table = keyof Database & string

/**
 * `INSERT INTO table (columns) SELECT … FROM jsonb_populate_recordset(NULL::table, $1)`: every row in one jsonb
 * parameter. A multi-row VALUES of 1,000 rows binds and parses 10,000+ placeholders (and must stay under
 * Postgres's 65,535); one parameter makes a batch one small statement, about twice the rows/s measured here.
 * Columns holding JSON text (`jsonColumns`) are spliced in as JSON, not as strings. Returns the insert builder, so
 * an `onConflict` can follow. Every row must have the same keys.
 */
export function insertJsonRows<T extends Table>(
  trx: Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  jsonColumns: readonly string[] = [],
) {
  const columns = Object.keys(rows[0] ?? {})
  const raw = new Set(jsonColumns)
  const encode = (row: Record<string, unknown>) =>
    `{${columns.map((c) => `${JSON.stringify(c)}:${raw.has(c) && row[c] != null ? row[c] : JSON.stringify(row[c] ?? null)}`).join(',')}}`
  const payload = `[${rows.map((row) => encode(row as Record<string, unknown>)).join(',')}]`
  return trx
    .insertInto(table)
    .columns(columns as never)
    .expression(sql`SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${payload}::jsonb)` as never)
}
