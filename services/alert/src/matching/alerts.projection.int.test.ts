import type { Database, Db } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import { subscriptionFilterSchema } from '@tradewatch/subscriptions'
import { useTestEnvironment } from '@tradewatch/test-support'
import { sql, type Transaction } from 'kysely'
import { describe, expect, it } from 'vitest'
import { demoChanges } from '../testing/demo-changes.js'
import { demoEnvelopes } from '../testing/demo-envelopes.js'
import { alertIdOf } from './alert-id.js'
import { alertTitle } from './alert-title.js'
import { createAlertsProjection } from './alerts.projection.js'
import { matches } from './subscription-filter.js'

const env = useTestEnvironment()
const envelopes = demoEnvelopes()
const changes = demoChanges()
const webhook = { type: 'webhook', url: 'https://hooks.example.org/tradewatch', secret: 'whsec_0123456789abcdef' }
const subscriptions = [
  { id: 'ca-cn-surtax-cuts', filter: { origins: ['CN'], imposers: ['CA'], measureKinds: ['surtax'], rateDirection: 'decrease' }, channel: webhook },
  { id: 'us-china-big-moves', filter: { imposers: ['US'], origins: ['CN'], minRateChangePp: 10 }, channel: { type: 'nats' } },
  { id: 'canada-agreements', filter: { parties: ['CA'] }, channel: { type: 'sse' } },
  { id: 'vehicles', filter: { hs: ['8703'] }, channel: webhook },
]

async function applyInBatches(db: Db, events: readonly EventEnvelope[], size: number) {
  const projection = createAlertsProjection()
  for (let i = 0; i < events.length; i += size) await db.transaction().execute((trx) => projection.apply(trx, events.slice(i, i + size)))
}

describe('alerts projection on the demo data', () => {
  it('given four subscriptions, when the demo data is applied in batches of 7, then each gets exactly the alerts the in-memory fold says, titled from the state at its event', async () => {
    await env.db
      .insertInto('subscriptions')
      .values(subscriptions.map((s) => ({ subscription_id: s.id, name: s.id, filter: JSON.stringify(s.filter), channel: JSON.stringify(s.channel) })))
      .execute()
    await applyInBatches(env.db, envelopes, 7)

    const stored = await env.db.selectFrom('alerts').select(['alert_id', 'subscription_id', 'event_id', 'title', 'payload']).orderBy('position').execute()
    for (const s of subscriptions) {
      const filter = subscriptionFilterSchema.parse(s.filter)
      const expected = changes.filter((change) => matches(filter, change))
      expect(expected.length, s.id).toBeGreaterThan(0)
      const got = stored.filter((a) => a.subscription_id === s.id)
      expect(
        got.map((a) => [a.alert_id, a.title]),
        s.id,
      ).toEqual(expected.map((change) => [alertIdOf(s.id, change.event.id), alertTitle(change)]))
    }
    expect(stored.filter((a) => a.subscription_id === 'ca-cn-surtax-cuts').map((a) => a.title)).toEqual([
      'Canada ends its surtax on Chinese electric vehicles (100%) under a deal, effective 2026-03-01',
    ])
  })

  it('then the payload carries the structured before/after, the event and its source', async () => {
    const alert = await env.db
      .selectFrom('alerts')
      .select('payload')
      .where(
        'alert_id',
        '=',
        alertIdOf(
          'us-china-big-moves',
          changes.find((c) => c.event.aggregateId === 'us-cn-ieepa-reciprocal-2025' && c.event.type === 'MeasureRateChanged')?.event.id ?? '',
        ),
      )
      .executeTakeFirstOrThrow()
    expect(alert.payload).toMatchObject({
      subscriptionId: 'us-china-big-moves',
      title: 'The United States lowers its reciprocal tariff on Chinese goods from 125% to 10%, effective 2025-05-14',
      change: {
        before: { rate: { type: 'ad_valorem', percent: 125 }, status: 'in_force' },
        after: { rate: { type: 'ad_valorem', percent: 10 } },
        rateChangePp: -115,
      },
      event: { type: 'MeasureRateChanged', aggregateId: 'us-cn-ieepa-reciprocal-2025' },
      source: { url: expect.stringMatching(/^https:\/\//), title: expect.any(String) },
      effectiveAt: '2025-05-14',
    })
  })

  it('then webhook subscriptions have one pending delivery per alert, the others none', async () => {
    const deliveries = await env.db.selectFrom('deliveries').select(['delivery_id', 'subscription_id', 'status', 'attempts']).execute()
    const webhookAlerts = await env.db.selectFrom('alerts').select('alert_id').where('subscription_id', 'in', ['ca-cn-surtax-cuts', 'vehicles']).execute()
    expect(deliveries.map((d) => d.delivery_id).sort()).toEqual(webhookAlerts.map((a) => a.alert_id).sort())
    expect(new Set(deliveries.map((d) => `${d.status}/${d.attempts}`))).toEqual(new Set(['pending/0']))
  })

  it('then the stored state per aggregate is the fold up to its last event, and a replay of a batch adds no alert', async () => {
    const state = await env.db
      .selectFrom('alert_states')
      .select(['state', 'last_position'])
      .where('aggregate_id', '=', 'ca-cn-ev-surtax')
      .executeTakeFirstOrThrow()
    const last = changes.filter((c) => c.event.aggregateId === 'ca-cn-ev-surtax').at(-1)
    expect(state.state).toEqual(JSON.parse(JSON.stringify(last?.after)))
    expect(Number(state.last_position)).toBe(last?.event.position)

    const before = await env.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    await env.db.transaction().execute((trx) => createAlertsProjection().apply(trx, envelopes.slice(-5)))
    const after = await env.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('then a batch commits without waiting for its WAL flush (a crash undoes it whole, and the replay remakes it), and only the batch', async () => {
    const synchronousCommit = async (db: Db | Transaction<Database>) =>
      (await sql<{ setting: string }>`SELECT current_setting('synchronous_commit') AS setting`.execute(db)).rows[0]?.setting
    const inBatch = await env.db.transaction().execute(async (trx) => {
      await createAlertsProjection().apply(trx, envelopes.slice(-1))
      return synchronousCommit(trx)
    })
    expect(inBatch).toBe('off')
    expect(await synchronousCommit(env.db)).toBe('on')
  })

  it('a subscription created between batches sees only the events after it; a paused one sees nothing more', async () => {
    await env.db.deleteFrom('deliveries').execute()
    await env.db.deleteFrom('alerts').execute()
    await env.db.deleteFrom('alert_states').execute()
    await env.db.updateTable('subscriptions').set({ active: false }).where('subscription_id', '=', 'vehicles').execute()
    await applyInBatches(env.db, envelopes.slice(0, 100), 50)
    await env.db
      .insertInto('subscriptions')
      .values({ subscription_id: 'late', name: 'late', filter: '{}', channel: JSON.stringify({ type: 'nats' }) })
      .execute()
    await applyInBatches(env.db, envelopes.slice(100), 50)
    const late = await env.db.selectFrom('alerts').select('position').where('subscription_id', '=', 'late').orderBy('position').execute()
    expect(late.map((a) => Number(a.position))).toEqual(envelopes.slice(100).map((e) => e.position))
    const paused = await env.db.selectFrom('alerts').select('alert_id').where('subscription_id', '=', 'vehicles').execute()
    expect(paused).toEqual([])
  })
})
