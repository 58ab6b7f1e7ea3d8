import pg from 'pg'

/** Each table's rows, keyed by table name: every row as Postgres's text form of it, sorted. */
export type TableRows = Record<string, string[]>

/** Rows in one snapshot of a table and not in the other (as many times as they are missing), at most `limit` of each. */
export interface TableDifference {
  table: string
  onlyInExpected: string[]
  onlyInActual: string[]
}

/**
 * Reads every row of `tables` (in `schema`), whole: all columns, generated ones included, as the row's
 * text (`t::text`), sorted in the C collation so two databases order alike. Two read models are equal row
 * for row when these are equal, which is what a rebuild or a crash must never break.
 */
export async function tableRows(databaseUrl: string, tables: readonly string[], schema = 'public'): Promise<TableRows> {
  const client = new pg.Client({ connectionString: databaseUrl, options: '-c timezone=UTC' })
  await client.connect()
  try {
    const rows: TableRows = {}
    for (const table of tables) {
      const name = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`
      const result = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t ORDER BY t::text COLLATE "C"`)
      rows[table] = result.rows.map((r) => r.row)
    }
    return rows
  } finally {
    await client.end()
  }
}

/** The tables whose rows differ, with samples of the differing rows: `[]` when the snapshots are equal row for row. */
export function compareTables(expected: TableRows, actual: TableRows, limit = 5): TableDifference[] {
  const differences: TableDifference[] = []
  for (const table of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    const onlyInExpected = missingFrom(actual[table] ?? [], expected[table] ?? [])
    const onlyInActual = missingFrom(expected[table] ?? [], actual[table] ?? [])
    if (onlyInExpected.length > 0 || onlyInActual.length > 0)
      differences.push({ table, onlyInExpected: onlyInExpected.slice(0, limit), onlyInActual: onlyInActual.slice(0, limit) })
  }
  return differences
}

/** The rows of `rows` that `other` lacks, counting duplicates. */
function missingFrom(other: readonly string[], rows: readonly string[]): string[] {
  const counts = new Map<string, number>()
  for (const row of other) counts.set(row, (counts.get(row) ?? 0) + 1)
  return rows.filter((row) => {
    const left = counts.get(row) ?? 0
    if (left > 0) counts.set(row, left - 1)
    return left === 0
  })
}
