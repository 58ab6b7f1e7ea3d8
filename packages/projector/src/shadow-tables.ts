import type { Database, Db } from '@tradewatch/db'
import { sql, type Transaction } from 'kysely'
import { RebuildError, rebuildErrorCodes } from './errors.js'

/** An index of a live table, to be built with the same name and definition on its shadow. */
export interface ShadowIndex {
  table: string
  name: string
  definition: string
  /** The PRIMARY KEY or UNIQUE constraint the index backs, if any. */
  constraint: { name: string; type: 'p' | 'u' } | null
  method: string
}

/** The schema a projection's shadow tables are built in: `rebuild_<name>`, in identifier characters. */
export const shadowSchemaOf = (projection: string) => `rebuild_${projection.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`

/**
 * Indexes an `apply` does not need while loading (those serving the read side's queries) are built once,
 * after the bulk load: sorting once is cheaper than maintaining them row by row. Constraints stay, for ON
 * CONFLICT and key look-ups, and so do the indexes the projection reads through (`kept`).
 */
export const isDeferred = (index: ShadowIndex, kept: readonly string[] = []) => index.constraint === null && !kept.includes(index.name)

/**
 * (Re)creates `schema` with an empty copy of each live table in `public`: columns, defaults, generated
 * columns, CHECK constraints and storage (`LIKE … INCLUDING ALL`), without indexes; the non-deferred
 * indexes (constraints and `kept`) are then built under their live names (schemas keep them apart), so the
 * swapped-in tables look exactly like the ones they replace. Returns the deferred indexes, for
 * `buildIndexes` after the load.
 * @throws RebuildError (unsupportedTable) for a column fed by a sequence: the shadow would share it
 */
export async function createShadowTables(db: Db, schema: string, tables: readonly string[], kept: readonly string[] = []): Promise<ShadowIndex[]> {
  const serials = await sequenceColumns(db, tables)
  if (serials.length > 0)
    throw new RebuildError(
      rebuildErrorCodes.unsupportedTable,
      `cannot rebuild ${serials.join(', ')}: a column fed by a sequence would be shared with the live table`,
    )
  const indexes = await liveIndexes(db, tables)
  await db.transaction().execute(async (trx) => {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(trx)
    await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(trx)
    for (const table of tables) await sql`CREATE TABLE ${sql.id(schema, table)} (LIKE ${sql.id('public', table)} INCLUDING ALL EXCLUDING INDEXES)`.execute(trx)
  })
  await buildIndexes(
    db,
    schema,
    indexes.filter((i) => !isDeferred(i, kept)),
  )
  return indexes.filter((i) => isDeferred(i, kept))
}

/** Builds live indexes on the shadow tables, and attaches the constraints they back. */
export async function buildIndexes(db: Db, schema: string, indexes: readonly ShadowIndex[]): Promise<void> {
  for (const index of indexes) {
    const onShadow = index.definition.replace(/^(CREATE (?:UNIQUE )?INDEX \S+ ON )public\./, `$1${schema}.`)
    if (onShadow === index.definition) throw new RebuildError(rebuildErrorCodes.unsupportedTable, `cannot copy index ${index.name}: ${index.definition}`)
    await sql.raw(onShadow).execute(db)
    if (index.constraint) {
      const kind = index.constraint.type === 'p' ? sql`PRIMARY KEY` : sql`UNIQUE`
      await sql`ALTER TABLE ${sql.id(schema, index.table)} ADD CONSTRAINT ${sql.id(index.constraint.name)} ${kind} USING INDEX ${sql.id(index.name)}`.execute(
        db,
      )
    }
  }
}

/**
 * Inside the swap transaction: drops the live tables and moves the shadow ones into `public`. The
 * caller holds the checkpoint row lock, so no live batch is half-way through these tables; the DDL takes
 * their ACCESS EXCLUSIVE locks, so readers see either the old tables or the new ones, never neither.
 */
export async function swapIn(trx: Transaction<Database>, schema: string, tables: readonly string[]): Promise<void> {
  for (const table of tables) await sql`DROP TABLE ${sql.id('public', table)}`.execute(trx)
  for (const table of tables) await sql`ALTER TABLE ${sql.id(schema, table)} SET SCHEMA public`.execute(trx)
  await sql`DROP SCHEMA ${sql.id(schema)}`.execute(trx)
}

export async function dropShadow(db: Db, schema: string): Promise<void> {
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db)
}

async function liveIndexes(db: Db, tables: readonly string[]): Promise<ShadowIndex[]> {
  const { rows } = await sql<{
    table: string
    name: string
    definition: string
    method: string
    constraint_name: string | null
    constraint_type: 'p' | 'u' | null
  }>`
    SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS definition, am.amname AS method,
           c.conname AS constraint_name, c.contype AS constraint_type
    FROM pg_index x
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_am am ON am.oid = i.relam
    LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = t.oid AND c.contype IN ('p', 'u')
    WHERE n.nspname = 'public' AND t.relname = ANY(${[...tables]}::text[])
    ORDER BY t.relname, i.relname`.execute(db)
  return rows.map((r) => ({
    table: r.table,
    name: r.name,
    definition: r.definition,
    method: r.method,
    constraint: r.constraint_name && r.constraint_type ? { name: r.constraint_name, type: r.constraint_type } : null,
  }))
}

async function sequenceColumns(db: Db, tables: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ column: string }>`
    SELECT t.relname || '.' || a.attname AS column
    FROM pg_attrdef d
    JOIN pg_class t ON t.oid = d.adrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE n.nspname = 'public' AND t.relname = ANY(${[...tables]}::text[]) AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%'`.execute(db)
  return rows.map((r) => r.column)
}
