import { randomUUID } from 'node:crypto'
import { createLogger } from '@tradewatch/logger'
import { useTestEnvironment, waitFor } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AlertNotifier, listenForAlerts } from './alert-notifier.js'

const env = useTestEnvironment()
let notifier: AlertNotifier
let wakeUps = 0

beforeAll(async () => {
  await env.db.insertInto('subscriptions').values({ subscription_id: 's', name: 's', filter: '{}', channel: '{"type":"sse"}' }).execute()
  // A long fallback poll, so a wake-up within it can only come from a notification.
  notifier = listenForAlerts({
    databaseUrl: env.databaseUrl,
    logger: createLogger({ service: 'test', level: 'silent' }),
    fallbackPollMs: 300,
    reconnectMs: 200,
  })
  notifier.onAlerts(() => {
    wakeUps += 1
  })
  await waitFor('the LISTEN connection', () => listenerPid())
})
afterAll(() => notifier.close())

let position = 0
/** One insert statement of `count` alerts, as the alert service writes a batch. */
const insertAlerts = (count = 1) =>
  env.db
    .insertInto('alerts')
    .values(
      Array.from({ length: count }, () => ({
        alert_id: randomUUID(),
        subscription_id: 's',
        event_id: randomUUID(),
        position: ++position,
        title: 't',
        payload: '{}',
      })),
    )
    .execute()
const listenerPid = async () =>
  (
    await sql<{
      pid: number
    }>`SELECT pid FROM pg_stat_activity WHERE application_name = 'tradewatch-api-alerts-listen' AND datname = current_database() AND query LIKE 'LISTEN%'`.execute(
      env.db,
    )
  ).rows[0]?.pid

describe('the alert notifier', () => {
  it('wakes listeners when alerts commit, once per insert statement', async () => {
    await waitFor('a quiet moment', async () => {
      const before = wakeUps
      await new Promise((resolve) => setTimeout(resolve, 100))
      return wakeUps === before
    })
    const before = wakeUps
    const insertedAt = Date.now()
    await insertAlerts(50)
    await waitFor('a wake-up', () => wakeUps > before, 2_000, 1)
    expect(Date.now() - insertedAt).toBeLessThan(200)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(wakeUps).toBe(before + 1)
  })

  it('keeps waking listeners (polling) while its connection is gone, and listens again once it is back', async () => {
    const pid = await listenerPid()
    await sql`SELECT pg_terminate_backend(${pid})`.execute(env.db)
    const before = wakeUps
    await waitFor('wake-ups without the connection', () => wakeUps > before, 2_000)
    const newPid = await waitFor('a new LISTEN connection', async () => {
      const found = await listenerPid()
      return found !== undefined && found !== pid ? found : undefined
    })
    expect(newPid).not.toBe(pid)
    const afterReconnect = wakeUps
    await insertAlerts()
    await waitFor('a wake-up from a notification', () => wakeUps > afterReconnect, 2_000, 1)
  })
})
