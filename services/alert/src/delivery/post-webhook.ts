import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import type { AddressGuard } from './address-guard.js'

export interface PostLimits {
  /** Time to establish the connection (TCP and TLS). */
  connectTimeoutMs: number
  /** Time for the whole exchange, from the first byte sent to the response read. */
  timeoutMs: number
  /** Bytes of response body read; the rest is dropped and the connection closed. */
  maxResponseBytes: number
}

/**
 * Keep-alive agents whose new connections go through the guard's lookup: a reused connection was
 * checked when it was made.
 */
export const guardedAgents = (guard: AddressGuard, maxSockets: number) => ({
  http: new HttpAgent({ keepAlive: true, maxSockets, lookup: guard.lookup }),
  https: new HttpsAgent({ keepAlive: true, maxSockets, lookup: guard.lookup }),
})
export type GuardedAgents = ReturnType<typeof guardedAgents>

/** Named as AbortSignal.timeout names its error, which the worker records as `timeout`. */
const timeoutError = (ms: number) => Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })

export interface PostResult {
  statusCode: number
  /** The start of the response body, for the delivery's last error. */
  body: string
}

/**
 * POSTs `body` to `url` without following redirects (a redirect could lead anywhere), connecting
 * only to addresses the guard allows, within the limits. Rejects on refusal, timeout or network error.
 */
export function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  guard: AddressGuard,
  agents: GuardedAgents,
  limits: PostLimits,
): Promise<PostResult> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  // An IP literal is never looked up, so it is judged here.
  if (isIP(host)) guard.check(host, host)
  const https = url.protocol === 'https:'
  const request = https ? httpsRequest : httpRequest
  return new Promise<PostResult>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: https ? agents.https : agents.http,
      lookup: guard.lookup,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'tradewatch-webhooks/1' },
    })
    // A plain timer, not AbortSignal.timeout: that one costs a signal, listeners and a DOMException per request.
    const deadline = setTimeout(() => req.destroy(timeoutError(limits.timeoutMs)), limits.timeoutMs)
    req.once('close', () => clearTimeout(deadline))
    req.on('socket', (socket) => {
      if (!socket.connecting) return
      const timer = setTimeout(() => req.destroy(new Error(`connect timeout after ${limits.connectTimeoutMs} ms`)), limits.connectTimeoutMs)
      socket.once(https ? 'secureConnect' : 'connect', () => clearTimeout(timer))
      socket.once('close', () => clearTimeout(timer))
    })
    req.on('error', reject)
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      let size = 0
      const done = () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8', 0, Math.min(size, 500)) })
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size <= limits.maxResponseBytes) return void chunks.push(chunk)
        // Enough: the status is what counts, and an endless body must not hold the worker.
        res.destroy()
        done()
      })
      res.on('end', done)
      res.on('error', reject)
    })
    req.end(body)
  })
}
