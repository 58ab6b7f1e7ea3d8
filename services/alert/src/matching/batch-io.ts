import type { Database } from '@tradewatch/db'
import { sql, type Transaction } from 'kysely'
import type { StateRow } from './alert-states.js'
import type { AggregateState } from './change.js'

export interface SubscriptionRow {
  id: string
  filter: unknown
  channel: unknown
}

/**
 * Everything a batch reads, in one round trip: the stored states of the batch's aggregates and the
 * active subscriptions (as of this transaction, so a change applies from the next batch on).
 */
export async function readBatch(trx: Transaction<Database>, aggregateIds: readonly string[]) {
  const { rows } = await sql<{ kind: 'state' | 'subscription'; key: string; value: Record<string, unknown> }>`
    -- key as stateKeyOf makes it: measure/ca-cn-ev-surtax
    SELECT 'state' AS kind, aggregate_type || '/' || aggregate_id AS key, state AS value
      FROM alert_states WHERE aggregate_id = ANY(${[...new Set(aggregateIds)]}::text[])
    UNION ALL
    SELECT 'subscription', subscription_id, jsonb_build_object('filter', filter, 'channel', channel)
      FROM subscriptions WHERE active`.execute(trx)
  const states = new Map<string, AggregateState>()
  const subscriptions: SubscriptionRow[] = []
  for (const row of rows) {
    if (row.kind === 'state') states.set(row.key, row.value as AggregateState)
    else subscriptions.push({ id: row.key, filter: row.value.filter, channel: row.value.channel })
  }
  return { states, subscriptions }
}

export interface AlertRow {
  alert_id: string
  subscription_id: string
  event_id: string
  position: number
  title: string
  payload: unknown
}

/**
 * Everything a batch writes, in one statement (rows travel as jsonb, so no bind-parameter limit):
 * the states it leaves, its alerts and their webhook deliveries. Resolves to the alerts inserted
 * (an alert that exists already is left alone, and so is its delivery).
 */
export async function writeBatch(
  trx: Transaction<Database>,
  rows: { states: readonly StateRow[]; alerts: readonly AlertRow[]; deliveries: readonly { delivery_id: string; subscription_id: string }[] },
): Promise<number> {
  const { rows: result } = await sql<{ created: string }>`
    WITH states AS (
      INSERT INTO alert_states (aggregate_type, aggregate_id, state, last_position)
      SELECT aggregate_type, aggregate_id, state, last_position
        FROM jsonb_to_recordset(${JSON.stringify(rows.states)}::jsonb) AS s(aggregate_type text, aggregate_id text, state jsonb, last_position bigint)
      ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET state = excluded.state, last_position = excluded.last_position
    ), created AS (
      INSERT INTO alerts (alert_id, subscription_id, event_id, position, title, payload)
      SELECT alert_id, subscription_id, event_id, position, title, payload
        FROM jsonb_to_recordset(${JSON.stringify(rows.alerts)}::jsonb) AS a(alert_id uuid, subscription_id text, event_id uuid, position bigint, title text, payload jsonb)
      ON CONFLICT (alert_id) DO NOTHING
      RETURNING alert_id
    ), deliveries AS (
      INSERT INTO deliveries (delivery_id, subscription_id)
      SELECT d.delivery_id, d.subscription_id
        FROM jsonb_to_recordset(${JSON.stringify(rows.deliveries)}::jsonb) AS d(delivery_id uuid, subscription_id text)
        JOIN created c ON c.alert_id = d.delivery_id
    )
    SELECT count(*) AS created FROM created`.execute(trx)
  return Number(result[0]?.created ?? 0)
}
