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

/** A delivery the matcher claimed in its own batch transaction, with what sending it needs. */
export interface HandedDelivery {
  deliveryId: string
  /** The alert payload, serialised once: the body, sent byte for byte as signed. */
  body: string
  /** The subscription's channel, read in the batch's transaction. */
  channel: Channel
}

/**
 * New deliveries go straight from the matcher's committed batch to this worker, without a claim
 * round trip: the batch inserts them already claimed (attempt 1, leased as a claim leases), in
 * slots reserved before. If this process dies first, the lease ends and any worker sends them.
 */
export interface DeliveryHandOff {
  readonly leaseMs: number
  /** Reserves up to `wanted` free slots for a batch's deliveries: how many it may claim. */
  reserve(wanted: number): number
  /** A batch's end: sends what it claimed and committed (none if it did not commit), frees the rest of its `reserved` slots. */
  settle(reserved: number, claimed: readonly HandedDelivery[]): void
}

export interface WebhookWorker {
  /** Looks for due deliveries now (after a batch of alerts committed). */
  wake(): void
  readonly handOff: DeliveryHandOff
  stop(): Promise<void>
}

type Sendable = Omit<ClaimedDelivery, 'channel'> & { channel: Channel | null }

// How soon a backlog is claimed again into fewer than half the slots.
const refillGapMs = 25

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
  // Slots held for deliveries being claimed: by the loop's claim, or by a matcher batch until it settles.
  let reservedSlots = 0
  const freeSlotCount = () => options.concurrency - inFlight - reservedSlots
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

  const attempt = async (delivery: Sendable): Promise<AttemptOutcome> => {
    const base = { deliveryId: delivery.deliveryId }
    const channel = delivery.channel
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
  const failed = (delivery: Sendable, statusCode: number | null, error: string): AttemptOutcome =>
    delivery.attempt >= maxAttempts
      ? { deliveryId: delivery.deliveryId, status: 'dead', statusCode, error: `gave up after ${delivery.attempt} attempts; last: ${error}` }
      : { deliveryId: delivery.deliveryId, status: 'pending', statusCode, error, retryInMs: retryDelayMs(delivery.attempt, options.backoff) }

  // In a slot counted in `inFlight` already.
  const send = async (delivery: Sendable) => {
    try {
      const outcome = await attempt(delivery)
      if (outcome.status === 'delivered') metrics?.latency.observe((Date.now() - delivery.createdAt.getTime()) / 1000)
      metrics?.attempts.inc(1, { outcome: outcome.status === 'delivered' ? 'ok' : outcome.status === 'dead' ? 'dead' : 'failed' })
      if (outcome.status !== 'delivered') logger.info({ deliveryId: delivery.deliveryId, attempt: delivery.attempt, outcome }, 'webhook attempt failed')
      record(outcome)
    } finally {
      freeSlots(1)
    }
  }
  const freeSlots = (count: number) => {
    inFlight -= count
    // Only a backlog needs the freed slots at once; otherwise commits and the poll wake the loop.
    if (backlog && freeSlotCount() >= refillAt) signal.wake()
  }

  const loop = (async () => {
    while (!stopped) {
      const limit = freeSlotCount()
      if (limit <= 0) backlog = true
      else {
        // The claim's slots are held while it runs, so a batch's reservation cannot take them too.
        reservedSlots += limit
        try {
          const due = await claimDue(db, limit, leaseMs)
          backlog = due.length === limit
          inFlight += due.length
          for (const delivery of due) void send({ ...delivery, channel: channelOf(delivery.channel) })
        } catch (err) {
          logger.warn({ err }, 'could not claim webhook deliveries; retrying')
        } finally {
          reservedSlots -= limit
        }
      }
      // A backlog is claimed again once half the slots are free, so a busy worker claims in batches, not one row per
      // finished request; or after refillGapMs with any slot free, so requests to a slow receiver never hold back the others.
      await signal.wait(backlog ? Math.min(refillGapMs, options.pollMs) : options.pollMs)
    }
  })()

  const handOff: DeliveryHandOff = {
    leaseMs,
    reserve(wanted) {
      const reserved = stopped ? 0 : Math.max(0, Math.min(wanted, freeSlotCount()))
      reservedSlots += reserved
      return reserved
    },
    settle(reserved, claimed) {
      reservedSlots -= reserved
      const createdAt = new Date()
      // Claimed ones not sent (the worker stopped) are due again when their lease ends.
      const sending = stopped ? [] : claimed.slice(0, reserved)
      inFlight += sending.length
      for (const delivery of sending) void send({ ...delivery, attempt: 1, createdAt })
      freeSlots(0)
    },
  }

  return {
    wake: signal.wake,
    handOff,
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
