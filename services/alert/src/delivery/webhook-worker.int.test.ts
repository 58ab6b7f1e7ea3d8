import { randomUUID } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Db } from '@tradewatch/db'
import { createLogger } from '@tradewatch/logger'
import { freePort, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { createAlertsProjection } from '../matching/alerts.projection.js'
import { demoEnvelopes } from '../testing/demo-envelopes.js'
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js'
import { createAddressGuard } from './address-guard.js'
import { startWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from './webhook-worker.js'

const env = useTestEnvironment()
const logger = createLogger({ service: 'alert-test', level: 'silent' })
const secret = 'whsec_test_receiver_secret'
const envelopes = demoEnvelopes()
const running: { workers: WebhookWorker[]; receivers: WebhookReceiver[] } = { workers: [], receivers: [] }

afterEach(async () => {
  await Promise.all(running.workers.splice(0).map((w) => w.stop()))
  await Promise.all(running.receivers.splice(0).map((r) => r.close()))
})

/** Subscribes each id (to everything) at its webhook URL, alone, and matches the events at positions [from, to) into alerts and deliveries. */
async function alertsFor(db: Db, urls: Record<string, string>, from: number, to: number, projection = createAlertsProjection()) {
  // Earlier tests' subscriptions are done: paused, they take no alerts from these events.
  await db.updateTable('subscriptions').set({ active: false }).execute()
  await db
    .insertInto('subscriptions')
    .values(
      Object.entries(urls).map(([id, url]) => ({ subscription_id: id, name: id, filter: '{}', channel: JSON.stringify({ type: 'webhook', url, secret }) })),
    )
    .execute()
  await db.transaction().execute((trx) => projection.apply(trx, envelopes.slice(from, to)))
  return envelopes[to - 1]?.position ?? 0
}

function worker(overrides: Partial<WebhookWorkerOptions> = {}) {
  const w = startWebhookWorker({
    db: env.db,
    guard: createAddressGuard(['127.0.0.1']),
    logger,
    limits: { connectTimeoutMs: 1_000, timeoutMs: 2_000, maxResponseBytes: 1_024 },
    maxAttempts: 100,
    backoff: { baseMs: 20, maxMs: 300 },
    concurrency: 8,
    pollMs: 20,
    ...overrides,
  })
  running.workers.push(w)
  return w
}

const deliveriesOf = (db: Db, subscriptionId: string) =>
  db.selectFrom('deliveries').selectAll().where('subscription_id', '=', subscriptionId).orderBy('delivery_id').execute()

describe('webhook delivery', () => {
  it('given the receiver down for a while, when it comes back, then every alert arrives and the receiver holds each exactly once', async () => {
    // Given 40 alerts for a receiver whose port nobody listens on yet, and two workers sharing the table.
    const port = await freePort()
    await alertsFor(env.db, { flaky: `http://127.0.0.1:${port}/hooks/tradewatch` }, 0, 40)
    worker()
    worker()
    await waitFor('every delivery to fail at least twice', async () => (await deliveriesOf(env.db, 'flaky')).every((d) => d.attempts >= 2), 15_000)
    const whileDown = await deliveriesOf(env.db, 'flaky')
    expect(whileDown.every((d) => d.status === 'pending' && d.last_error?.includes('ECONNREFUSED'))).toBe(true)

    // When it comes back, answering the first try of every fourth alert by dropping the connection (its answer is lost).
    let drops = 0
    const receiver = await startWebhookReceiver({
      secret,
      port,
      answer: (key, repeat) => repeat || Number.parseInt(key.slice(0, 2), 16) % 4 !== 0 || drops++ < 0,
    })
    running.receivers.push(receiver)
    await waitFor('all delivered', async () => (await deliveriesOf(env.db, 'flaky')).every((d) => d.status === 'delivered'), 20_000)

    // Then each alert is held once, the lost answers were retried (repeats the receiver dropped), and nothing failed to verify.
    const alerts = await env.db.selectFrom('alerts').select(['alert_id', 'title']).where('subscription_id', '=', 'flaky').execute()
    expect(alerts).toHaveLength(40)
    expect([...receiver.held.keys()].sort()).toEqual(alerts.map((a) => a.alert_id).sort())
    expect(alerts.every((a) => receiver.held.get(a.alert_id)?.body.title === a.title)).toBe(true)
    expect(drops).toBeGreaterThan(0)
    expect(receiver.requests).toBe(40 + drops)
    expect(receiver.rejected).toBe(0)
    const delivered = await deliveriesOf(env.db, 'flaky')
    expect(delivered.every((d) => d.delivered_at !== null && d.last_status_code !== null && d.last_status_code < 300 && d.last_error === null)).toBe(true)
  })

  it('given a receiver that never comes back, then each delivery is dead-lettered after the maximum attempts, with the reason', async () => {
    const port = await freePort()
    await alertsFor(env.db, { gone: `http://127.0.0.1:${port}/hooks` }, 40, 45)
    worker({ maxAttempts: 3 })
    await waitFor('all dead', async () => (await deliveriesOf(env.db, 'gone')).every((d) => d.status === 'dead'), 15_000)
    for (const d of await deliveriesOf(env.db, 'gone')) {
      expect(d.attempts).toBe(3)
      expect(d.last_error).toMatch(/^gave up after 3 attempts; last: ECONNREFUSED/)
      expect(d.dead_at).not.toBeNull()
      expect(d.delivered_at).toBeNull()
    }
  })

  it('given a receiver refusing our signature (401), then the status code and body is kept per attempt until it dead-letters', async () => {
    const receiver = await startWebhookReceiver({ secret: 'whsec_some_other_secret' })
    running.receivers.push(receiver)
    await alertsFor(env.db, { refusing: receiver.url }, 45, 47)
    worker({ maxAttempts: 2 })
    await waitFor('all dead', async () => (await deliveriesOf(env.db, 'refusing')).every((d) => d.status === 'dead'), 15_000)
    const [d] = await deliveriesOf(env.db, 'refusing')
    // The receiver holds another secret: it refuses our signature with 401, and says why.
    expect(d).toMatchObject({ attempts: 2, last_status_code: 401, last_error: 'gave up after 2 attempts; last: HTTP 401: SIGNATURE_MISMATCH' })
    expect(receiver.rejected).toBe(4)
  })

  it('given a subscription deleted while its deliveries wait, then they are dead-lettered, not sent', async () => {
    const receiver = await startWebhookReceiver({ secret })
    running.receivers.push(receiver)
    await alertsFor(env.db, { deleted: receiver.url }, 51, 54)
    await env.db.updateTable('subscriptions').set({ active: false, deleted_at: new Date() }).where('subscription_id', '=', 'deleted').execute()
    worker()
    await waitFor('all dead', async () => (await deliveriesOf(env.db, 'deleted')).every((d) => d.status === 'dead'), 10_000)
    for (const d of await deliveriesOf(env.db, 'deleted'))
      expect(d).toMatchObject({ attempts: 1, last_error: 'subscription deleted, paused or no longer a webhook' })
    expect(receiver.requests).toBe(0)
  })

  it('given no allow-list, then a loopback URL is refused before sending and dead-lettered at once', async () => {
    const receiver = await startWebhookReceiver({ secret })
    running.receivers.push(receiver)
    await alertsFor(env.db, { ssrf: receiver.url, 'ssrf-by-name': receiver.url.replace('127.0.0.1', 'localhost') }, 47, 49)
    worker({ guard: createAddressGuard([]) })
    await waitFor(
      'all dead',
      async () => (await env.db.selectFrom('deliveries').select('status').where('status', '=', 'pending').execute()).length === 0,
      10_000,
    )
    for (const id of ['ssrf', 'ssrf-by-name']) {
      for (const d of await deliveriesOf(env.db, id)) {
        expect(d).toMatchObject({ status: 'dead', attempts: 1, last_status_code: null })
        expect(d.last_error).toMatch(/resolves to (127\.0\.0\.1|::1), a private, loopback/)
      }
    }
    expect(receiver.requests).toBe(0)
  })

  it('given alerts committed one at a time while it claims, each followed by a wake, then every one arrives without waiting for the poll', async () => {
    const receiver = await startWebhookReceiver({ secret })
    running.receivers.push(receiver)
    await alertsFor(env.db, { trickle: receiver.url }, 0, 0)
    // A poll far beyond the wait below: only wakes can deliver in time, so a wake lost while a claim was under way fails the test.
    const w = worker({ pollMs: 600_000 })
    const ids: string[] = []
    for (let n = 0; n < 40; n++) {
      const alertId = randomUUID()
      ids.push(alertId)
      await env.db.transaction().execute(async (trx) => {
        const payload = { alertId, subscriptionId: 'trickle', title: `trickle ${n}`, position: n }
        await trx
          .insertInto('alerts')
          .values({
            alert_id: alertId,
            subscription_id: 'trickle',
            event_id: randomUUID(),
            position: n,
            title: payload.title,
            payload: JSON.stringify(payload),
          })
          .execute()
        await trx.insertInto('deliveries').values({ delivery_id: alertId, subscription_id: 'trickle' }).execute()
      })
      w.wake()
    }
    await waitFor('every alert held', () => receiver.held.size === ids.length, 5_000)
    expect([...receiver.held.keys()].sort()).toEqual(ids.sort())
  })

  it('given a receiver that never answers, then the attempt times out and is retried', async () => {
    const port = await freePort()
    const { createServer } = await import('node:net')
    const silent = createServer(() => {}).listen(port, '127.0.0.1')
    try {
      await alertsFor(env.db, { silent: `http://127.0.0.1:${port}/` }, 50, 51)
      worker({ limits: { connectTimeoutMs: 500, timeoutMs: 300, maxResponseBytes: 1_024 }, maxAttempts: 2 })
      await waitFor('dead', async () => (await deliveriesOf(env.db, 'silent')).every((d) => d.status === 'dead'), 10_000)
      expect((await deliveriesOf(env.db, 'silent'))[0]?.last_error).toBe('gave up after 2 attempts; last: timeout')
    } finally {
      silent.close()
    }
  })

  it('given a receiver that holds its requests in most slots, then deliveries to another receiver are claimed and sent in the free ones', async () => {
    const held: ServerResponse[] = []
    const slow = createServer((req, res) => req.resume().on('end', () => held.push(res)))
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
    try {
      await alertsFor(env.db, { slow: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/` }, 0, 3)
      worker({ concurrency: 4, limits: { connectTimeoutMs: 1_000, timeoutMs: 30_000, maxResponseBytes: 1_024 } })
      await waitFor('three slots held by the slow receiver', () => held.length === 3, 5_000)

      const receiver = await startWebhookReceiver({ secret })
      running.receivers.push(receiver)
      await alertsFor(env.db, { fast: receiver.url }, 3, 8)
      // One slot of four is free: the worker claims into it without waiting for half of them.
      await waitFor('the other receiver served', () => receiver.held.size === 5, 5_000)
      expect(held).toHaveLength(3)
    } finally {
      for (const res of held) res.writeHead(204).end()
      slow.close()
    }
  })

  it('given a batch matched with the hand-off of the worker, then the deliveries it claimed are sent once it commits, without a claim, and a try that rolled back sends nothing', async () => {
    const receiver = await startWebhookReceiver({ secret })
    running.receivers.push(receiver)
    // No poll and no wake: only the hand-off can send.
    const w = worker({ concurrency: 2, pollMs: 600_000 })
    const projection = createAlertsProjection({ handOff: w.handOff })

    // A first try of the batch rolls back: the lane applies it again, which gives back the first try's slots.
    await alertsFor(env.db, { handed: receiver.url }, 0, 0)
    const batch = envelopes.slice(60, 65)
    const rollBack = env.db.transaction().execute(async (trx) => {
      await projection.apply(trx, batch)
      throw new Error('rolled back')
    })
    await expect(rollBack).rejects.toThrow('rolled back')
    await env.db.transaction().execute((trx) => projection.apply(trx, batch))
    const position = batch[batch.length - 1]?.position ?? 0
    const ids = (await deliveriesOf(env.db, 'handed')).map((d) => d.delivery_id)
    expect(ids).toHaveLength(5)
    // Two slots: two deliveries claimed by the batch, three left for the worker to claim.
    expect((await deliveriesOf(env.db, 'handed')).filter((d) => d.attempts === 1)).toHaveLength(2)
    expect(projection.committed(position)).toEqual({ created: 5, unclaimed: true })
    await waitFor('the claimed ones delivered', async () => (await deliveriesOf(env.db, 'handed')).filter((d) => d.status === 'delivered').length === 2, 5_000)
    expect(receiver.held.size).toBe(2)
    expect(receiver.rejected).toBe(0)
    // The rest go when the worker is woken, each under its own idempotency key once.
    w.wake()
    await waitFor('all delivered', () => receiver.held.size === 5, 5_000)
    expect([...receiver.held.keys()].sort()).toEqual(ids.sort())
    expect(receiver.requests).toBe(5)
  })
})
