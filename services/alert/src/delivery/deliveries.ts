import type { Db, DeliveryStatus } from '@tradewatch/db'
import { sql } from 'kysely'

/** A delivery this worker holds for one attempt. */
export interface ClaimedDelivery {
  deliveryId: string
  /** Including this one. */
  attempt: number
  createdAt: Date
  /** The alert payload as stored: the body, sent byte for byte as signed. */
  body: string
  /** The subscription's channel now (not when the alert was made), as JSON text, or null once it is gone. */
  channel: string | null
}

/**
 * A FROM item that makes the statement's own transaction commit without waiting for its WAL flush
 * (a disk sync, ~5 ms here, on the path of every alert). Safe for claims and outcomes alone: a
 * Postgres crash can undo at most the last fraction of a second of them, and an undone claim or
 * outcome leaves the delivery pending and due again: sent once more, at least once, never lost.
 */
const lazyCommit = sql`(SELECT set_config('synchronous_commit', 'off', true)) AS lazy_commit`

/**
 * Claims up to `limit` due deliveries for one attempt each. Rows another worker holds are skipped
 * (FOR UPDATE SKIP LOCKED), and a claimed row's next attempt moves `leaseMs` ahead before the lock
 * is released, so no other worker takes it while this one sends it; if this process dies, it is
 * due again when the lease ends. The attempt is counted here, so a delivery that crashes its worker
 * still reaches its last attempt.
 */
export async function claimDue(db: Db, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<{ delivery_id: string; attempts: number; created_at: Date; body: string; channel: string | null }>`
    UPDATE deliveries d
       SET attempts = d.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
      FROM ${lazyCommit}, (SELECT delivery_id FROM deliveries
             WHERE status = 'pending' AND next_attempt_at <= now()
             ORDER BY next_attempt_at
             LIMIT ${limit}
               FOR UPDATE SKIP LOCKED) due
      JOIN alerts a ON a.alert_id = due.delivery_id
      LEFT JOIN subscriptions s ON s.subscription_id = a.subscription_id AND s.active
     WHERE d.delivery_id = due.delivery_id
    RETURNING d.delivery_id, d.attempts, d.created_at, a.payload::text AS body, s.channel::text AS channel`.execute(db)
  return rows.map((r) => ({ deliveryId: r.delivery_id, attempt: r.attempts, createdAt: r.created_at, body: r.body, channel: r.channel }))
}

/** How one attempt ended. `retryInMs` is set for a failure that will be tried again. */
export interface AttemptOutcome {
  deliveryId: string
  status: DeliveryStatus
  statusCode: number | null
  error: string | null
  retryInMs?: number
}

/** Records many attempts' outcomes in one statement (one jsonb parameter, whatever their number). */
export async function recordOutcomes(db: Db, outcomes: readonly AttemptOutcome[]): Promise<void> {
  if (outcomes.length === 0) return
  const rows = outcomes.map((o) => ({
    id: o.deliveryId,
    status: o.status,
    code: o.statusCode,
    error: o.error?.slice(0, 1000) ?? null,
    retry: o.retryInMs ?? 0,
  }))
  await sql`
    UPDATE deliveries d
       SET status = v.status,
           last_status_code = v.code,
           last_error = v.error,
           next_attempt_at = CASE WHEN v.status = 'pending' THEN now() + v.retry * interval '1 millisecond' ELSE d.next_attempt_at END,
           delivered_at = CASE WHEN v.status = 'delivered' THEN now() END,
           dead_at = CASE WHEN v.status = 'dead' THEN now() END
      FROM ${lazyCommit}, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, status text, code integer, error text, retry double precision)
     WHERE d.delivery_id = v.id AND d.status = 'pending'`.execute(db)
}
