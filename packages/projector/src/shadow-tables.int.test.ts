import { useTestEnvironment } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildIndexes, createShadowTables, swapIn } from './shadow-tables.js'

const env = useTestEnvironment()
const indexesOf = async (schema: string, table: string) =>
  (
    await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE schemaname = ${schema} AND tablename = ${table} ORDER BY 1`.execute(env.db)
  ).rows.map((r) => r.indexname)
const constraintsOf = async (schema: string, table: string) =>
  (
    await sql<{ conname: string }>`
      SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(${`${schema}.${table}`}) ORDER BY 1`.execute(env.db)
  ).rows.map((r) => r.conname)

beforeAll(async () => {
  await sql`
    CREATE TABLE docs (
      id text PRIMARY KEY,
      body text NOT NULL UNIQUE,
      tags text[] NOT NULL,
      words tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED,
      CHECK (body <> '')
    )`.execute(env.db)
  await sql`CREATE INDEX docs_tags_idx ON docs USING gin (tags)`.execute(env.db)
  await sql`CREATE INDEX docs_lower_idx ON docs (lower(body)) WHERE id <> ''`.execute(env.db)
  await sql`CREATE TABLE numbered (n serial PRIMARY KEY)`.execute(env.db)
})

describe('shadow tables', () => {
  it('copies a table with its constraints under their live names, and defers the other indexes (btree and GIN) to after the load', async () => {
    const deferred = await createShadowTables(env.db, 'rebuild_docs', ['docs'])

    expect(deferred.map((i) => i.name)).toEqual(['docs_lower_idx', 'docs_tags_idx'])
    expect(await indexesOf('rebuild_docs', 'docs')).toEqual(['docs_body_key', 'docs_pkey'])
    expect(await constraintsOf('rebuild_docs', 'docs')).toEqual(await constraintsOf('public', 'docs'))
    await sql`INSERT INTO rebuild_docs.docs (id, body, tags) VALUES ('a', 'tariffs on steel', '{x}')`.execute(env.db)
    const { rows } = await sql<{ words: string }>`SELECT words::text FROM rebuild_docs.docs`.execute(env.db)
    expect(rows).toEqual([{ words: "'steel':3 'tariff':1" }])
    await expect(sql`INSERT INTO rebuild_docs.docs (id, body, tags) VALUES ('b', '', '{}')`.execute(env.db)).rejects.toThrow(/check constraint/)
  })

  it('keeps an index the projection reads through while loading', async () => {
    const deferred = await createShadowTables(env.db, 'rebuild_docs', ['docs'], ['docs_lower_idx'])

    expect(deferred.map((i) => i.name)).toEqual(['docs_tags_idx'])
    expect(await indexesOf('rebuild_docs', 'docs')).toEqual(['docs_body_key', 'docs_lower_idx', 'docs_pkey'])
  })

  it('then swaps it into public: the rows are the shadow ones, every index is there by its name, the shadow schema is gone', async () => {
    const live = await indexesOf('public', 'docs')
    const deferred = await createShadowTables(env.db, 'rebuild_docs', ['docs'])
    await sql`INSERT INTO rebuild_docs.docs (id, body, tags) VALUES ('shadow', 'rebuilt', '{}')`.execute(env.db)
    await buildIndexes(env.db, 'rebuild_docs', deferred)
    await env.db.transaction().execute((trx) => swapIn(trx, 'rebuild_docs', ['docs']))

    expect(await indexesOf('public', 'docs')).toEqual(live)
    expect(await sql`SELECT id FROM docs`.execute(env.db).then((r) => r.rows)).toEqual([{ id: 'shadow' }])
    const { rows } = await sql`SELECT nspname FROM pg_namespace WHERE nspname = 'rebuild_docs'`.execute(env.db)
    expect(rows).toEqual([])
  })

  it('refuses a table fed by a sequence: its shadow would share it', async () => {
    await expect(createShadowTables(env.db, 'rebuild_numbered', ['numbered'])).rejects.toMatchObject({ code: 'UNSUPPORTED_TABLE' })
  })
})
