import type { Database, Db } from '@tradewatch/db'
import { HttpProblem, problem } from '@tradewatch/service-kit'
import type { SelectQueryBuilder } from 'kysely'
import type { Caller } from './subscriptions-access.js'

/**
 * Narrows an alerts query to the caller's: alerts of subscriptions its key created (deleted
 * ones included, their history stays), or of one of them; admins see every alert.
 */
export async function alertsVisibleTo<O>(db: Db, query: SelectQueryBuilder<Database, 'alerts', O>, caller: Caller, subscriptionId?: string) {
  if (subscriptionId !== undefined) {
    let owned = db.selectFrom('subscriptions').select('subscription_id').where('subscription_id', '=', subscriptionId)
    if (!caller.admin) owned = owned.where('owner', '=', caller.name)
    if (!(await owned.executeTakeFirst())) {
      throw new HttpProblem(problem(404, 'SUBSCRIPTION_NOT_FOUND', 'Subscription not found', { detail: `no subscription ${subscriptionId} for this API key` }))
    }
    return query.where('alerts.subscription_id', '=', subscriptionId)
  }
  if (caller.admin) return query
  return query.where('alerts.subscription_id', 'in', db.selectFrom('subscriptions').select('subscription_id').where('owner', '=', caller.name))
}
