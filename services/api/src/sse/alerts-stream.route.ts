import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import type { ApiKeyEntry } from '@tradewatch/config'
import type { Db } from '@tradewatch/db'
import { aggregateIdSchema } from '@tradewatch/domain'
import type { Logger } from '@tradewatch/logger'
import { parseRequest } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { alertDto, alertSchema } from '../routes/alerts.dto.js'
import { alertsVisibleTo } from '../routes/alerts-access.js'
import { type AlertCursor, alertCursorSchema, alertsAfter, cursorOf } from '../routes/alerts-cursor.js'
import { callerOf } from '../routes/subscriptions-access.js'
import { type AlertNotifier, listenForAlerts, pollForAlerts } from './alert-notifier.js'

export const alertsStreamQuery = z.strictObject({
  subscription: aggregateIdSchema.optional(),
  /** Resume after this event id, for clients that cannot set the Last-Event-ID header. */
  lastEventId: alertCursorSchema.optional(),
})
const streamHeaders = z.object({ 'last-event-id': alertCursorSchema.optional().describe('the id of the last event received') })

export interface AlertsStreamOptions {
  db: Db
  apiKeys: readonly ApiKeyEntry[]
  /** LISTENs here for new alerts; without it streams poll every second. */
  databaseUrl?: string
  /** A comment line this often keeps proxies from closing an idle stream (and re-reads, in case a wake-up was missed). */
  heartbeatMs?: number
  /** Alerts read per query; the next query waits until the socket has taken them. */
  batchSize?: number
  /** On shutdown, how long an ended stream may take to flush before its connection is cut. */
  shutdownGraceMs?: number
}

/**
 * `GET /v1/alerts/stream`: server-sent events, one `alert` event per alert with `id:` = its
 * cursor. A client that reconnects with `Last-Event-ID` (or `?lastEventId=`) gets every alert
 * after that one, in order, none twice; without one it gets alerts from now on.
 */
export async function alertsStreamRoute(app: FastifyInstance, options: AlertsStreamOptions): Promise<void> {
  const { db, apiKeys, heartbeatMs = 15_000, batchSize = 200, shutdownGraceMs = 1_000 } = options
  const notifier: AlertNotifier = options.databaseUrl ? listenForAlerts({ databaseUrl: options.databaseUrl, logger: app.log as Logger }) : pollForAlerts(1_000)
  const open = new Set<{ stop: () => void; done: Promise<void>; raw: ServerResponse }>()

  // Streams never go idle, so closing the server would wait on them for ever: end them first,
  // and cut those whose client has stopped reading (their last bytes would never flush).
  app.addHook('preClose', async () => {
    const streams = [...open]
    for (const stream of streams) stream.stop()
    await Promise.all(streams.map((stream) => stream.done))
    const flushing = streams.filter((stream) => !stream.raw.writableFinished)
    await Promise.race([
      Promise.all(flushing.map((stream) => once(stream.raw, 'finish'))),
      new Promise((resolve) => setTimeout(resolve, shutdownGraceMs).unref()),
    ])
    for (const stream of flushing) if (!stream.raw.writableFinished) stream.raw.destroy()
    await notifier.close()
  })

  const openapi = {
    summary: 'Alerts as server-sent events, resuming after Last-Event-ID',
    description:
      'One `alert` event per alert (data: the alert as in GET /v1/alerts/{id}, without deliveries), `id:` its cursor. Reconnect with `Last-Event-ID` (or `?lastEventId=`) to get every alert after it, none twice; without one, alerts from now on. A `: heartbeat` comment keeps idle streams open.',
    tags: ['alerts'],
    query: alertsStreamQuery,
    headers: streamHeaders,
    responses: {
      200: { description: 'text/event-stream, until the client leaves or the server shuts down', schema: alertSchema, contentType: 'text/event-stream' },
    },
    problems: [404],
  }
  app.get('/v1/alerts/stream', { config: { scope: 'subscribe', openapi } }, async (request, reply) => {
    const caller = callerOf(request, apiKeys)
    const query = parseRequest(alertsStreamQuery, request.query, 'query')
    const headers = parseRequest(streamHeaders, request.headers, 'headers')
    const alerts = await alertsVisibleTo(db, db.selectFrom('alerts').selectAll('alerts'), caller, query.subscription)
    let cursor: AlertCursor | undefined = headers['last-event-id'] ?? query.lastEventId
    if (!cursor) {
      const last = await alerts.orderBy('alerts.position', 'desc').orderBy('alerts.alert_id', 'desc').limit(1).executeTakeFirst()
      if (last) cursor = { position: last.position, alertId: last.alert_id }
    }

    reply.hijack()
    const raw: ServerResponse = reply.raw
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    })
    let stopped = false
    let wake: (() => void) | undefined
    let woken = false
    // Ends a wait for the socket to drain: a stop must not wait on a client that stopped reading.
    let release: (() => void) | undefined
    const unsubscribe = notifier.onAlerts(() => {
      woken = true
      wake?.()
    })
    const stop = () => {
      stopped = true
      wake?.()
      release?.()
    }
    raw.on('close', stop)

    /** Writes a frame; when the socket's buffer is full, waits for it to drain (or the client to go, or a stop). */
    const send = async (frame: string) => {
      if (stopped) return
      if (raw.write(frame)) return
      await new Promise<void>((resolve) => {
        release = () => {
          raw.off('drain', release as () => void)
          release = undefined
          resolve()
        }
        raw.on('drain', release)
      })
    }
    const sleep = () =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), heartbeatMs)
        wake = () => {
          clearTimeout(timer)
          resolve(true)
        }
      })

    const run = async () => {
      await send('retry: 2000\n: connected\n\n')
      while (!stopped) {
        woken = false
        const rows = await alertsAfter(alerts, cursor).limit(batchSize).execute()
        for (const row of rows) {
          if (stopped) return
          const id = cursorOf(row)
          await send(`id: ${id}\nevent: alert\ndata: ${JSON.stringify(alertDto(row))}\n\n`)
          cursor = { position: row.position, alertId: row.alert_id }
        }
        if (rows.length === batchSize || woken || stopped) continue
        if (!(await sleep())) await send(': heartbeat\n\n')
        wake = undefined
      }
    }
    const stream = {
      stop,
      raw,
      done: run()
        .catch((err) => request.log.warn({ err, subscription: query.subscription }, 'alert stream ended by an error; the client resumes with Last-Event-ID'))
        .finally(() => {
          unsubscribe()
          open.delete(stream)
          raw.end()
        }),
    }
    open.add(stream)
  })
}
