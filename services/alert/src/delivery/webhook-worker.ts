import type { Db } from '@tradewatch/db'
import type { Logger } from '@tradewatch/logger'
import { type Channel, channelSchema } from '@tradewatch/subscriptions'
import { signWebhook, webhookHeaders } from '@tradewatch/webhooks'
import type { AddressGuard } from './address-guard.js'
import { retryDelayMs } from './backoff.js'
import { type AttemptOutcome, type ClaimedDelivery, claimDue, recordOutcomes } from './deliveries.js'
import { guardedAgents, type PostLimits, postWebhook } from './post-webhook.js'
import { createWakeSignal } from './wake-signal.js'

export interface WebhookWorkerOptions {
  db: Db
  guard: AddressGuard
  logger: Logger
  limits: PostLimits
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number
  backoff: { baseMs: number; maxMs: number }
  /** Requests in flight at once. */
  concurrency: number
  /** How often to look for due deliveries when nothing wakes the worker (retries, other processes' alerts). */
  pollMs: number
  metrics?: WebhookMetrics
}

/** Structural, so any metrics library fits. */
export interface WebhookMetrics {
  attempts: { inc(amount: number, labels: { outcome: 'ok' | 'failed' | 'dead' }): void }
  /** Seconds from the alert's creation to its successful delivery. */
  latency: { observe(seconds: number): void }
}

export interface WebhookWorker {
  /** Looks for due deliveries now (after a batch of alerts committed). */
  wake(): void
  stop(): Promise<void>
}

const reasonOf = (err: unknown) => {
  const e = err as { name?: string; code?: string; message?: string }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout'
  return [e?.code, e?.message].filter(Boolean).join(': ') || String(err)
}

/**
 * Sends pending webhook deliveries: claims due ones (several workers and processes share the
 * table), POSTs each alert signed with its subscription's secret and the alert id as idempotency
 * key, and records the outcome: delivered on 2xx; otherwise retried with exponential backoff and
 * full jitter, and dead-lettered with the reason after `maxAttempts`, or at once when no attempt
 * can succeed (the subscription is gone, its address refused).
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { db, guard, logger, limits, maxAttempts, metrics } = options
  // Longer than any attempt can take, so a claimed delivery is never sent twice at once.
  const leaseMs = limits.connectTimeoutMs + limits.timeoutMs + 5_000
  const agents = guardedAgents(guard, options.concurrency)
  const signal = createWakeSignal()
  const refillAt = options.concurrency / 2
  let stopped = false
  let inFlight = 0
  // Deliveries may be due that no claim took: the last claim was full, or skipped for want of slots.
  let backlog = false

  let pending: AttemptOutcome[] = []
  let flushing: Promise<void> | undefined
  // Outcomes are written in batches: one UPDATE for every attempt that ended meanwhile.
  const flush = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending
      pending = []
      try {
        await recordOutcomes(db, batch)
      } catch (err) {
        // Unrecorded, the deliveries are due again when their lease ends: at least once, never lost.
        logger.warn({ err, count: batch.length }, 'could not record webhook outcomes; they will be retried')
      }
    }
    flushing = undefined
  }
  const record = (outcome: AttemptOutcome) => {
    pending.push(outcome)
    flushing ??= flush()
  }

  // Each distinct channel text is parsed once: deliveries share the channels of a few subscriptions.
  const channels = new Map<string, Channel | null>()
  const channelOf = (text: string | null): Channel | null => {
    if (text === null) return null
    let channel = channels.get(text)
    if (channel === undefined) {
      channel = channelSchema.safeParse(JSON.parse(text)).data ?? null
      if (channels.size >= 10_000) channels.clear()
      channels.set(text, channel)
    }
    return channel
  }

  const attempt = async (delivery: ClaimedDelivery): Promise<AttemptOutcome> => {
    const base = { deliveryId: delivery.deliveryId }
    const channel = channelOf(delivery.channel)
    if (channel?.type !== 'webhook') {
      return { ...base, status: 'dead', statusCode: null, error: 'subscription deleted, paused or no longer a webhook' }
    }
    const body = delivery.body
    const headers = {
      [webhookHeaders.signature]: signWebhook({ secret: channel.secret, body }),
      [webhookHeaders.idempotencyKey]: delivery.deliveryId,
    }
    try {
      const result = await postWebhook(new URL(channel.url), body, headers, guard, agents, limits)
      if (result.statusCode >= 200 && result.statusCode < 300) return { ...base, status: 'delivered', statusCode: result.statusCode, error: null }
      return failed(delivery, result.statusCode, `HTTP ${result.statusCode}${result.body ? `: ${result.body}` : ''}`)
    } catch (err) {
      if ((err as { code?: string }).code === 'WEBHOOK_ADDRESS_REFUSED') return { ...base, status: 'dead', statusCode: null, error: (err as Error).message }
      return failed(delivery, null, reasonOf(err))
    }
  }
  const failed = (delivery: ClaimedDelivery, statusCode: number | null, error: string): AttemptOutcome =>
    delivery.attempt >= maxAttempts
      ? { deliveryId: delivery.deliveryId, status: 'dead', statusCode, error: `gave up after ${delivery.attempt} attempts; last: ${error}` }
      : { deliveryId: delivery.deliveryId, status: 'pending', statusCode, error, retryInMs: retryDelayMs(delivery.attempt, options.backoff) }

  const send = async (delivery: ClaimedDelivery) => {
    const outcome = await attempt(delivery)
    if (outcome.status === 'delivered') metrics?.latency.observe((Date.now() - delivery.createdAt.getTime()) / 1000)
    metrics?.attempts.inc(1, { outcome: outcome.status === 'delivered' ? 'ok' : outcome.status === 'dead' ? 'dead' : 'failed' })
    if (outcome.status !== 'delivered') logger.info({ deliveryId: delivery.deliveryId, attempt: delivery.attempt, outcome }, 'webhook attempt failed')
    record(outcome)
  }

  const loop = (async () => {
    while (!stopped) {
      // Refill once half the slots are free, so a busy worker claims in batches, not one row per finished request.
      if (inFlight > refillAt) backlog = true
      else {
        try {
          const limit = options.concurrency - inFlight
          const due = await claimDue(db, limit, leaseMs)
          backlog = due.length === limit
          for (const delivery of due) {
            inFlight++
            void send(delivery).finally(() => {
              inFlight--
              // Only a backlog needs the freed slots at once; otherwise commits and the poll wake the loop.
              if (backlog && inFlight <= refillAt) signal.wake()
            })
          }
        } catch (err) {
          logger.warn({ err }, 'could not claim webhook deliveries; retrying')
        }
      }
      if (backlog && inFlight <= refillAt) continue
      await signal.wait(options.pollMs)
    }
  })()

  return {
    wake: signal.wake,
    async stop() {
      stopped = true
      signal.wake()
      await loop
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20))
      await flushing
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}
