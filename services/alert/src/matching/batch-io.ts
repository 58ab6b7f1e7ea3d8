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
 *
 * It also makes the batch's transaction commit without waiting for its WAL flush (a disk sync,
 * 12–16 ms here, on the path of every alert). Safe because a Postgres crash can only undo a tail of
 * such commits, each whole: the alerts, deliveries, states and the checkpoint of a batch go
 * together (a later durable commit flushes every earlier one). The matcher then resumes from the
 * checkpoint that survived, JetStream delivers those events again, and it makes the same alerts:
 * ids derived from (subscription, event), so a webhook already sent goes again under the same
 * idempotency key, and a NATS alert is published under the same message id. At least once, never
 * lost. A crash of the alert process alone loses nothing: Postgres still flushes the commit.
 */
export async function readBatch(trx: Transaction<Database>, aggregateIds: readonly string[]) {
  const { rows } = await sql<{ kind: 'state' | 'subscription' | 'lazy commit'; key: string; value: Record<string, unknown> }>`
    SELECT 'lazy commit' AS kind, set_config('synchronous_commit', 'off', true) AS key, NULL AS value
    UNION ALL
    -- key as stateKeyOf makes it: measure/ca-cn-ev-surtax
    SELECT 'state', aggregate_type || '/' || aggregate_id, state
      FROM alert_states WHERE aggregate_id = ANY(${[...new Set(aggregateIds)]}::text[])
    UNION ALL
    SELECT 'subscription', subscription_id, jsonb_build_object('filter', filter, 'channel', channel)
      FROM subscriptions WHERE active`.execute(trx)
  const states = new Map<string, AggregateState>()
  const subscriptions: SubscriptionRow[] = []
  for (const row of rows) {
    if (row.kind === 'state') states.set(row.key, row.value as AggregateState)
    else if (row.kind === 'subscription') subscriptions.push({ id: row.key, filter: row.value.filter, channel: row.value.channel })
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

/** A webhook delivery a batch makes; `claimed` ones are leased to this process's worker at once (attempt 1). */
export interface DeliveryRow {
  delivery_id: string
  subscription_id: string
  claimed: boolean
}

/**
 * Everything a batch writes, in one statement (rows travel as jsonb, so no bind-parameter limit):
 * the states it leaves, its alerts and their webhook deliveries. Resolves to the number of alerts
 * inserted and the claimed deliveries inserted (an alert that exists already is left alone, and so
 * is its delivery). A claimed delivery is leased as `claimDue` leases one, for `leaseMs`.
 */
export async function writeBatch(
  trx: Transaction<Database>,
  rows: { states: readonly StateRow[]; alerts: readonly AlertRow[]; deliveries: readonly DeliveryRow[] },
  leaseMs: number,
): Promise<{ created: number; claimed: string[] }> {
  const { rows: result } = await sql<{ created: string; claimed: string[] }>`
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
      INSERT INTO deliveries (delivery_id, subscription_id, attempts, last_attempt_at, next_attempt_at)
      SELECT d.delivery_id, d.subscription_id, d.claimed::int,
             CASE WHEN d.claimed THEN now() END,
             CASE WHEN d.claimed THEN now() + ${leaseMs} * interval '1 millisecond' ELSE now() END
        FROM jsonb_to_recordset(${JSON.stringify(rows.deliveries)}::jsonb) AS d(delivery_id uuid, subscription_id text, claimed boolean)
        JOIN created c ON c.alert_id = d.delivery_id
      RETURNING delivery_id, attempts
    )
    SELECT (SELECT count(*) FROM created) AS created,
           (SELECT coalesce(json_agg(delivery_id), '[]') FROM deliveries WHERE attempts = 1) AS claimed`.execute(trx)
  return { created: Number(result[0]?.created ?? 0), claimed: result[0]?.claimed ?? [] }
}
