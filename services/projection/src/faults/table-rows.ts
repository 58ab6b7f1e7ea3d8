import type { Db } from '@tradewatch/db'
import { sql } from 'kysely'

/** Every row of `table` as Postgres prints it (generated columns included), sorted: order-free and exact. */
export async function tableRows(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(table)} AS t ORDER BY 1`.execute(db)
  return rows.map((r) => r.row)
}

export interface TableDifference {
  table: string
  rows: [number, number]
  /** The first few rows only one side has, for a readable failure. */
  onlyLeft: string[]
  onlyRight: string[]
}

/** Compares tables row for row; an empty list means identical. */
export async function compareTables(left: Db, right: Db, tables: readonly string[]): Promise<TableDifference[]> {
  const differences: TableDifference[] = []
  for (const table of tables) {
    const [a, b] = await Promise.all([tableRows(left, table), tableRows(right, table)])
    const inB = new Set(b)
    const inA = new Set(a)
    const onlyLeft = a.filter((row) => !inB.has(row))
    const onlyRight = b.filter((row) => !inA.has(row))
    if (a.length !== b.length || onlyLeft.length > 0 || onlyRight.length > 0)
      differences.push({ table, rows: [a.length, b.length], onlyLeft: onlyLeft.slice(0, 3), onlyRight: onlyRight.slice(0, 3) })
  }
  return differences
}
