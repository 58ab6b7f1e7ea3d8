import type { Db } from '@tradewatch/db'
import { subjects } from '@tradewatch/domain'
import type { Logger } from '@tradewatch/logger'
import { sql } from 'kysely'
import { type JetStreamClient, headers as natsHeaders } from 'nats'
import { createWakeSignal } from './wake-signal.js'

export interface AlertPublisher {
  /** Asks for a publish round soon (after a batch of alerts committed). */
  wake(): void
  stop(): Promise<void>
  published(): number
}

/**
 * Drains the alerts outbox to JetStream `trade.alerts.<subscriptionId>` (msgID = alert id,
 * so a round repeated after a crash is de-duplicated by the server), then marks the rows.
 * At least once: a row is marked only after JetStream acknowledged it.
 */
export function startAlertPublisher(options: { db: Db; js: JetStreamClient; prefix: string; logger: Logger; intervalMs?: number }): AlertPublisher {
  const { db, js, prefix, logger } = options
  let total = 0
  const signal = createWakeSignal()
  let stopped = false

  const round = async (): Promise<number> => {
    const pending = await db
      .selectFrom('alerts')
      // As text: published as stored, without a parse and a serialisation per alert.
      .select((eb) => ['alert_id', 'subscription_id', sql<string>`${eb.ref('payload')}::text`.as('body')])
      .where('published_at', 'is', null)
      .orderBy('position')
      .orderBy('alert_id')
      .limit(500)
      .execute()
    if (pending.length === 0) return 0
    await Promise.all(
      pending.map((alert) => {
        const h = natsHeaders()
        h.set('Tw-Alert-Id', alert.alert_id)
        return js.publish(subjects.alert(prefix, alert.subscription_id), alert.body, { msgID: alert.alert_id, headers: h })
      }),
    )
    await db
      .updateTable('alerts')
      .set({ published_at: new Date() })
      .where(
        'alert_id',
        'in',
        pending.map((a) => a.alert_id),
      )
      .execute()
    total += pending.length
    return pending.length
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        if ((await round()) > 0) continue
      } catch (err) {
        logger.warn({ err }, 'alert publish round failed; retrying')
      }
      await signal.wait(options.intervalMs ?? 1000)
    }
  })()

  return {
    wake: signal.wake,
    async stop() {
      stopped = true
      signal.wake()
      await loop
    },
    published: () => total,
  }
}
