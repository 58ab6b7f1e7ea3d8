import { randomUUID } from 'node:crypto'
import type { Logger } from '@tradewatch/logger'
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import { HttpProblem, type Problem, problem, problemContentType } from './problem.js'

export interface HttpServerOptions {
  logger: Logger
  /** Largest accepted request body in bytes; larger ones get 413. */
  bodyLimit?: number
}

const maxParamLength = 100

const fastifyProblems: Record<string, (err: FastifyError) => Problem> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => problem(413, 'PAYLOAD_TOO_LARGE', 'Request body too large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (err) => problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type', { detail: err.message }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    problem(400, 'INVALID_REQUEST', 'Invalid request', { errors: [{ path: '', message: 'body must be a JSON document, got an empty body' }] }),
  FST_ERR_CTP_INVALID_JSON_BODY: (err) =>
    problem(400, 'INVALID_REQUEST', 'Invalid request', { errors: [{ path: '', message: `body is not valid JSON: ${err.message}` }] }),
  // Raised by the router, before any route or hook: fastify answers these itself unless given frameworkErrors.
  FST_ERR_MAX_PARAM_LENGTH: () => problem(414, 'URI_TOO_LONG', 'Path value too long', { detail: `a path value may have at most ${maxParamLength} characters` }),
  FST_ERR_BAD_URL: () => problem(400, 'BAD_URL', 'Malformed URL', { detail: 'the path is not valid percent-encoding' }),
}

/** The problem answer for an error: HttpProblem as thrown, fastify's own by code, anything else a logged 500. */
function sendProblem(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let body: Problem
  if (err instanceof HttpProblem) body = err.problem
  else if (err.code && fastifyProblems[err.code]) body = (fastifyProblems[err.code] as (e: FastifyError) => Problem)(err)
  else if (err.statusCode && err.statusCode < 500) body = problem(err.statusCode, err.code ?? 'BAD_REQUEST', err.message)
  else body = problem(500, 'INTERNAL_ERROR', 'Internal error', { detail: 'the error was logged with this request id' })
  body.instance = request.url
  body.requestId = request.id
  if (body.status >= 500) request.log.error({ err, reqId: request.id }, 'request failed')
  else request.log.info({ code: body.code, status: body.status, reqId: request.id }, 'request refused')
  // Router errors come before any hook, so the onSend below that echoes the id does not run for them.
  return reply.code(body.status).header('x-request-id', request.id).type(problemContentType).send(body)
}

/**
 * A fastify instance with pino, request ids (x-request-id in and out), body limits and one
 * error shape: RFC 9457 problem details. Routes throw HttpProblem for expected failures.
 */
export function createHttpServer({ logger, bodyLimit = 1_048_576 }: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit,
    // Per-request lines would cost more than the work on the fast path; errors are logged below.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength },
    frameworkErrors: sendProblem,
  })
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id)
    return payload
  })
  app.setErrorHandler(sendProblem)
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(problemContentType)
      .send(problem(404, 'NOT_FOUND', 'Not found', { detail: `no route ${request.method} ${request.url}`, instance: request.url })),
  )
  return app
}
