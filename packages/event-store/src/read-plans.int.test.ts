import { useTestEnvironment } from '@tradewatch/test-support'
import { type RawBuilder, sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { keysQuery, streamsQuery } from './read-events.js'

const env = useTestEnvironment()

interface PlanNode {
  'Node Type': string
  Plans?: PlanNode[]
}

/** The plan's node types, with the one array parameter inlined as a literal. */
async function planNodes(query: RawBuilder<unknown>): Promise<string[]> {
  const { sql: text, parameters } = query.compile(env.db)
  const literal = `'{${(parameters[0] as string[]).join(',')}}'`
  const { rows } = await sql.raw<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${text.replace('$1', literal)}`).execute(env.db)
  const nodes: string[] = []
  const walk = (node: PlanNode) => {
    nodes.push(node['Node Type'])
    for (const child of node.Plans ?? []) walk(child)
  }
  walk(rows[0]?.['QUERY PLAN'][0]?.Plan as PlanNode)
  return nodes
}

// Regression: with autovacuum off (as on the CI machine) the events table is never analysed,
// and the planner turned a 32-stream read into a parallel sequential scan (~100 ms → ~1 s under load).
describe('reads of many streams or keys on a large, never-analysed events table', () => {
  beforeAll(async () => {
    await sql`
      INSERT INTO events (position, event_id, stream_id, aggregate_type, aggregate_id, version, type, data, metadata, idempotency_key, recorded_at)
      SELECT g, gen_random_uuid(), 'measure-m' || (g / 4), 'measure', 'm' || (g / 4), g % 4 + 1, 'MeasureAnnounced', '{}', '{}', 'k' || g, now()
      FROM generate_series(1, 150000) g`.execute(env.db)
    await sql`DELETE FROM pg_statistic WHERE starelid = 'events'::regclass`.execute(env.db)
  })

  const ids = Array.from({ length: 32 }, (_, i) => `measure-m${i * 97}`)

  it('probe the index per stream, never scanning the table', async () => {
    const nodes = await planNodes(streamsQuery(ids))
    expect(nodes).not.toContain('Seq Scan')
    expect(nodes).not.toContain('Gather')
    expect(nodes.some((n) => n.includes('Index'))).toBe(true)
  })

  it('probe the unique index per idempotency key', async () => {
    const nodes = await planNodes(keysQuery(ids.map((_, i) => `k${i * 97}`)))
    expect(nodes).not.toContain('Seq Scan')
    expect(nodes.some((n) => n.includes('Index'))).toBe(true)
  })
})
