import { parseEnvelope, streams } from '@tradewatch/domain'
import { type EventRow, toEnvelope } from '@tradewatch/event-store'
import { subscriptionFilterSchema } from '@tradewatch/subscriptions'
import { postEvents, type ServiceProcess, startService, streamMessages, testApiKey, useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { alertIdOf } from '../matching/alert-id.js'
import { foldChanges } from '../matching/alert-states.js'
import { matches } from '../matching/subscription-filter.js'
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js'

// Ingest (with its relay) and the alert service run as real processes on this file's database and
// prefix; the alert process is SIGKILLed at random moments while events flow, then restarted.
const env = useTestEnvironment()
const feeder = testApiKey('feeder', ['ingest'])
const secret = 'whsec_crash_test_secret'
const measures = 600
let ingest: ServiceProcess | undefined
let alert: ServiceProcess | undefined
let receiver: WebhookReceiver | undefined

const startAlert = () =>
  startService('alert', {
    DATABASE_URL: env.databaseUrl,
    NATS_URL: env.natsUrl,
    TRADEWATCH_PREFIX: env.prefix,
    LOG_LEVEL: 'warn',
    ALERT_BATCH_SIZE: '40',
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    WEBHOOK_BACKOFF_BASE_MS: '50',
    WEBHOOK_BACKOFF_MAX_MS: '500',
  })

const source = (n: number, what: string) => ({ kind: 'news', url: `https://example.org/crash/${what}/${n}`, title: `Crash test ${what} ${n}` })
const announce = (n: number) => ({
  type: 'MeasureAnnounced',
  measureId: `crash-${n}`,
  occurredAt: '2026-01-16',
  source: source(n, 'announced'),
  data: {
    kind: n % 3 === 0 ? 'surtax' : 'tariff',
    title: `Crash-test tariff ${n}`,
    imposer: n % 2 === 0 ? 'US' : 'CA',
    targets: { mode: 'listed', countries: ['CN'] },
    products: [{ code: '870380' }],
    productText: 'electric passenger vehicles',
    rate: { type: 'ad_valorem', percent: 10 + (n % 50) },
    direction: 'restrictive',
    legalBasis: { jurisdiction: n % 2 === 0 ? 'US' : 'CA', instrument: 'Crash test order' },
  },
})
const rateChange = (n: number) => ({
  type: 'MeasureRateChanged',
  measureId: `crash-${n}`,
  occurredAt: '2026-02-01',
  effectiveAt: '2026-03-01',
  source: source(n, 'rate'),
  data: { after: { type: 'ad_valorem', percent: n % 4 === 0 ? 5 : 80 } },
})

const subscriptions = [
  { id: 'everything', filter: {}, channel: { type: 'webhook', url: '', secret } },
  { id: 'us-cuts', filter: { imposers: ['US'], rateDirection: 'decrease' }, channel: { type: 'webhook', url: '', secret } },
  { id: 'canada', filter: { imposers: ['CA'] }, channel: { type: 'nats' } },
]

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret })
  await env.db
    .insertInto('subscriptions')
    .values(
      subscriptions.map((s) => ({
        subscription_id: s.id,
        name: s.id,
        filter: JSON.stringify(s.filter),
        channel: JSON.stringify(s.channel.type === 'webhook' ? { ...s.channel, url: receiver?.url } : s.channel),
      })),
    )
    .execute()
  ingest = await startService('ingest', {
    DATABASE_URL: env.databaseUrl,
    NATS_URL: env.natsUrl,
    TRADEWATCH_PREFIX: env.prefix,
    API_KEYS: feeder.entry,
    LOG_LEVEL: 'warn',
  })
  alert = await startAlert()
}, 180_000)
afterAll(async () => {
  await alert?.stop()
  await ingest?.stop()
  await receiver?.close()
})

it('given alerts flowing, when the alert service is SIGKILLed three times and restarted, then no alert is lost and none is made or delivered twice', async () => {
  // Given: events posted in batches while, alongside, the alert process is killed at random moments.
  const batches = [...Array.from({ length: measures }, (_, n) => announce(n)), ...Array.from({ length: measures }, (_, n) => rateChange(n))]
  const feeding = (async () => {
    for (let i = 0; i < batches.length; i += 100) {
      const result = await postEvents(ingest?.url ?? '', feeder.key, batches.slice(i, i + 100))
      expect(result.status).toBe(201)
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
  })()
  let kills = 0
  for (; kills < 3; kills++) {
    await waitFor(
      'alerts being made',
      async () =>
        Number(
          (
            await env.db
              .selectFrom('alerts')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ) >
        kills * 300,
      30_000,
    )
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 300))
    await alert?.kill()
    alert = await startAlert()
  }
  await feeding

  // When everything recorded has been judged and every webhook answered.
  const head = Number(
    (
      await env.db
        .selectFrom('events')
        .select((eb) => eb.fn.max('position').as('p'))
        .executeTakeFirstOrThrow()
    ).p,
  )
  expect(head).toBe(2 * measures)
  await waitFor(
    'alert checkpoint at the head',
    async () => {
      const row = await env.db.selectFrom('consumer_checkpoints').select('position').where('name', '=', 'alerts').executeTakeFirst()
      return Number(row?.position ?? 0) === head
    },
    60_000,
  )
  await waitFor(
    'every delivery delivered',
    async () => (await env.db.selectFrom('deliveries').select('delivery_id').where('status', '!=', 'delivered').execute()).length === 0,
    60_000,
  )

  // Then: the alerts are exactly those an in-memory fold of the stored events says, each once.
  const rows = await env.db.selectFrom('events').selectAll().orderBy('position').execute()
  const expected: { alertId: string; subscriptionId: string }[] = []
  const { changes } = foldChanges(
    new Map(),
    rows.map((row) => parseEnvelope(toEnvelope(row as unknown as EventRow))),
  )
  for (const change of changes) {
    for (const s of subscriptions) {
      if (matches(subscriptionFilterSchema.parse(s.filter), change)) expected.push({ alertId: alertIdOf(s.id, change.event.id), subscriptionId: s.id })
    }
  }
  const alerts = await env.db.selectFrom('alerts').select(['alert_id', 'subscription_id']).execute()
  expect(alerts.map((a) => a.alert_id).sort()).toEqual(expected.map((e) => e.alertId).sort())
  const count = (id: string) => expected.filter((e) => e.subscriptionId === id).length
  expect([count('everything'), count('us-cuts'), count('canada')]).toEqual([2 * measures, measures / 4, measures])

  // Every webhook alert arrived and the receiver holds each exactly once; the NATS ones are on the stream once each.
  const webhookIds = expected.filter((e) => e.subscriptionId !== 'canada').map((e) => e.alertId)
  expect([...(receiver?.held.keys() ?? [])].sort()).toEqual(webhookIds.sort())
  expect(receiver?.rejected).toBe(0)
  const published = await streamMessages(env.nc, streams.alerts(env.prefix))
  const canada = published.filter((m) => m.subject.endsWith('.canada')).map((m) => m.msgId)
  expect(canada.sort()).toEqual(
    expected
      .filter((e) => e.subscriptionId === 'canada')
      .map((e) => e.alertId)
      .sort(),
  )
  expect(kills).toBe(3)

  // The last process's own counts are on /metrics (each process counts from its start).
  const metrics = await (await fetch(`${alert?.url}/metrics`)).text()
  for (const name of [
    'tradewatch_alerts_created_total',
    'tradewatch_alert_webhook_attempts_total{outcome="ok"}',
    'tradewatch_alert_webhook_latency_seconds_count',
  ]) {
    expect(metrics, name).toMatch(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} \\d+`, 'm'))
  }
}, 240_000)
