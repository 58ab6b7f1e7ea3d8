import { createDb } from '@tradewatch/db'
import { aggregateIdSchema } from '@tradewatch/domain'
import { UsageError } from '../usage-error.js'

/**
 * Adds a catch-all subscription delivered on NATS (`<prefix>.alerts.<id>`), so a fresh
 * system alerts on every change. Filters and other channels come with the subscriptions API.
 */
export async function subscribe(databaseUrl: string, id: string, name: string): Promise<void> {
  if (!aggregateIdSchema.safeParse(id).success) throw new UsageError(`subscription id must be a lowercase slug (a-z, 0-9, -), got "${id}"`)
  const db = createDb(databaseUrl, { poolSize: 1, applicationName: 'tradewatch-cli' })
  try {
    const inserted = await db
      .insertInto('subscriptions')
      .values({ subscription_id: id, name, filter: JSON.stringify({}), channel: JSON.stringify({ type: 'nats' }) })
      .onConflict((oc) => oc.column('subscription_id').doNothing())
      .returning('subscription_id')
      .executeTakeFirst()
    console.log(inserted ? `subscription ${id} added: every change, on NATS` : `subscription ${id} exists already`)
  } finally {
    await db.destroy()
  }
}
