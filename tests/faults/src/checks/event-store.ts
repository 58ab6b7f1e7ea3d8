import type { Db } from '@tradewatch/db'

/**
 * Every accepted fact is in the event store exactly once and nothing else is: the loader's idempotency
 * keys (ingest stores them as `key:<stream>:<key>`) against the store's rows. Problems, or `[]`.
 */
export async function storeHoldsEachOnce(db: Db, accepted: ReadonlySet<string>): Promise<string[]> {
  const rows = await db.selectFrom('events').select('idempotency_key').execute()
  const counts = new Map<string, number>()
  for (const { idempotency_key } of rows) {
    const key = idempotency_key?.split(':').at(-1) ?? '(none)'
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const problems: string[] = []
  for (const key of accepted) {
    const n = counts.get(key) ?? 0
    if (n !== 1) problems.push(`accepted ${key} is stored ${n} times`)
  }
  for (const key of counts.keys()) if (!accepted.has(key)) problems.push(`stored ${key} was never accepted`)
  if (rows.length !== accepted.size) problems.push(`the store holds ${rows.length} events for ${accepted.size} accepted`)
  return problems.slice(0, 20)
}
