import { HttpProblem, problem } from '@tradewatch/service-kit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export interface RateLimitOptions {
  /** Requests per second each API key may make, on average. */
  perSecond: number
  /** How many it may make at once after being idle. */
  burst: number
  now?: () => number
}

/** A token bucket: `burst` tokens, refilled at `perSecond`; a request takes one. */
export class TokenBucket {
  private tokens: number
  private updated: number
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.updated = now
  }
  /** Takes a token, or says in how many seconds one will be there. */
  take(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updated) / 1000) * this.perSecond)
    this.updated = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      return { ok: true }
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond)) }
  }
}

/**
 * Rate limit per API key, in process (each replica counts its own). Runs after the key check, on authenticated
 * routes only, so the number of buckets is bounded by the configured keys.
 */
export const rateLimit = fp(
  async (app: FastifyInstance, { perSecond, burst, now = Date.now }: RateLimitOptions) => {
    const buckets = new Map<string, TokenBucket>()
    app.addHook('onRequest', async (request, reply) => {
      const key = request.apiKeyName
      if (key === undefined) return
      let bucket = buckets.get(key)
      if (!bucket) {
        bucket = new TokenBucket(perSecond, burst, now())
        buckets.set(key, bucket)
      }
      const taken = bucket.take(now())
      if (taken.ok) return
      reply.header('retry-after', String(taken.retryAfterSeconds))
      throw new HttpProblem(
        problem(429, 'RATE_LIMITED', 'Too many requests', { detail: `this API key may make ${perSecond} requests a second (bursts of ${burst})` }),
      )
    })
  },
  { name: 'tradewatch-rate-limit', dependencies: ['tradewatch-api-key-auth'] },
)
