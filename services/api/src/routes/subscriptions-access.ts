import type { ApiKeyEntry } from '@tradewatch/config'
import type { Database } from '@tradewatch/db'
import { findApiKey } from '@tradewatch/service-kit'
import type { FastifyRequest } from 'fastify'
import type { SelectQueryBuilder } from 'kysely'

/** Who is asking: subscriptions belong to the API key that created them; admin keys see every one. */
export interface Caller {
  name: string
  admin: boolean
}

/** The caller of a route that declared a scope (apiKeyAuth has already admitted the key). */
export function callerOf(request: FastifyRequest, keys: readonly ApiKeyEntry[]): Caller {
  const presented = request.headers['x-api-key']
  const key = typeof presented === 'string' && presented ? presented : request.headers.authorization?.slice('Bearer '.length)
  const entry = key ? findApiKey(keys, key) : undefined
  if (!entry || !request.apiKeyName) throw new Error('callerOf used on a route without a scope')
  return { name: entry.name, admin: entry.scopes.has('admin') }
}

/** Narrows a subscriptions query to what the caller may see: its own live ones (admins: all live ones). */
export function visibleTo<O>(query: SelectQueryBuilder<Database, 'subscriptions', O>, caller: Caller) {
  const live = query.where('subscriptions.deleted_at', 'is', null)
  return caller.admin ? live : live.where('subscriptions.owner', '=', caller.name)
}
