import { subjects } from '@tradewatch/domain'
import type { Logger } from '@tradewatch/logger'
import { problem } from '@tradewatch/service-kit'
import type { NatsConnection, Subscription } from 'nats'
import { unavailableProblem } from '../recording/problems.js'
import type { Recording } from '../recording/record-batch.js'
import { submitJson } from '../recording/submit.js'

/**
 * Internal producers submit over NATS request/reply on `<prefix>.commands.ingest`: the same
 * JSON as POST /v1/events, the same validation, and an answer `{ status, body }` shaped as
 * the HTTP response would be. Replicas share the subject through a queue group.
 */
export function serveIngestRequests(options: {
  nc: NatsConnection
  prefix: string
  recording: Recording
  maxBatchInputs: number
  logger: Logger
}): Subscription {
  const { nc, recording, logger } = options
  return nc.subscribe(subjects.ingestCommands(options.prefix), {
    queue: 'ingest',
    callback: (err, msg) => {
      if (err) {
        logger.warn({ err }, 'ingest request subscription error')
        return
      }
      void (async () => {
        let answer: { status: number; body: unknown }
        try {
          let body: unknown
          try {
            body = msg.json()
          } catch (parseError) {
            answer = {
              status: 400,
              body: problem(400, 'INVALID_REQUEST', 'Invalid request', { errors: [{ path: '', message: `not JSON: ${(parseError as Error).message}` }] }),
            }
            msg.respond(JSON.stringify(answer))
            return
          }
          answer = await submitJson(recording, body, options.maxBatchInputs)
        } catch (failure) {
          const mapped = unavailableProblem(failure)
          if (!mapped) logger.error({ err: failure }, 'ingest request failed')
          answer = { status: mapped?.status ?? 500, body: mapped ?? problem(500, 'INTERNAL_ERROR', 'Internal error') }
        }
        if (msg.reply) msg.respond(JSON.stringify(answer))
      })()
    },
  })
}
