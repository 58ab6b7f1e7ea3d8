import { Readable } from 'node:stream'
import { HttpProblem, type Problem, problem } from '@tradewatch/service-kit'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { unavailableProblem } from '../recording/problems.js'
import type { Recording } from '../recording/record-batch.js'
import { emptySummary, recordInputs, submitJson } from '../recording/submit.js'
import { ndjsonLines } from './ndjson-lines.js'

export interface EventsRouteOptions {
  recording: Recording
  maxBatchInputs: number
  /** NDJSON inputs decided and appended together: bounds memory, amortises round trips. */
  ndjsonChunk?: number
  maxLineBytes: number
}

/** A failure past per-input outcomes (Postgres down) becomes 503; anything else stays a 500. */
async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    const mapped = unavailableProblem(err)
    throw mapped ? new HttpProblem(mapped, { cause: err }) : err
  }
}

/**
 * POST /v1/events: one input (JSON object), a batch (JSON array), or a stream of any size
 * (application/x-ndjson, answered as a stream of per-line results and a summary).
 * Each input is accepted or rejected on its own; a rejected input writes nothing.
 */
export async function eventsRoute(app: FastifyInstance, options: EventsRouteOptions): Promise<void> {
  const { recording, maxBatchInputs, maxLineBytes } = options
  const chunk = options.ndjsonChunk ?? 500

  // The body stays a stream: NDJSON is read line by line, never whole.
  app.addContentTypeParser('application/x-ndjson', (_request, payload, done) => done(null, payload))

  app.post('/v1/events', { config: { scope: 'ingest' } }, async (request, reply) => {
    if (request.headers['content-type']?.startsWith('application/x-ndjson')) return streamNdjson(request.body as Readable, reply)
    const answer = await orUnavailable(submitJson(recording, request.body, maxBatchInputs))
    if (answer.status >= 400) throw new HttpProblem(answer.body as Problem)
    return reply.code(answer.status).send(answer.body)
  })

  async function streamNdjson(body: Readable, reply: FastifyReply) {
    const summary = emptySummary()
    let lines = 0
    async function* results(): AsyncGenerator<string> {
      let pending: { line: number; raw: unknown }[] = []
      const flush = async function* (): AsyncGenerator<string> {
        const outcomes = await recordInputs(
          recording,
          pending.map((p) => p.raw),
          () => [],
        )
        for (const [i, outcome] of outcomes.entries()) {
          summary[outcome.status]++
          yield `${JSON.stringify({ line: pending[i]?.line, ...outcome })}\n`
        }
        pending = []
      }
      try {
        for await (const entry of ndjsonLines(body, maxLineBytes)) {
          lines = entry.line
          if ('tooLong' in entry) {
            summary.rejected++
            const p = problem(400, 'INVALID_REQUEST', 'Invalid request', { errors: [{ path: '', message: `line longer than ${maxLineBytes} bytes` }] })
            yield* pending.length ? flush() : []
            yield `${JSON.stringify({ line: entry.line, status: 'rejected', problem: p })}\n`
            continue
          }
          let raw: unknown
          try {
            raw = JSON.parse(entry.text)
          } catch (err) {
            yield* pending.length ? flush() : []
            summary.rejected++
            const p = problem(400, 'INVALID_REQUEST', 'Invalid request', { errors: [{ path: '', message: `not JSON: ${(err as Error).message}` }] })
            yield `${JSON.stringify({ line: entry.line, status: 'rejected', problem: p })}\n`
            continue
          }
          pending.push({ line: entry.line, raw })
          if (pending.length >= chunk) yield* flush()
        }
        if (pending.length) yield* flush()
        yield `${JSON.stringify({ summary: { lines, ...summary } })}\n`
      } catch (err) {
        // Results already sent stand; no summary line tells the client the stream is incomplete.
        reply.log.error({ err, reqId: reply.request.id }, 'ndjson ingest stopped')
        const p = unavailableProblem(err) ?? problem(500, 'INTERNAL_ERROR', 'Internal error')
        yield `${JSON.stringify({ error: p })}\n`
      }
    }
    return reply.code(200).type('application/x-ndjson').send(Readable.from(results()))
  }
}
