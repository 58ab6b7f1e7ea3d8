import { describe, expect, it } from 'vitest'
import { TokenBucket } from './rate-limit.plugin.js'

describe('TokenBucket', () => {
  it('given a full bucket of 2 at 1/s, two requests pass, the third waits a second, and a second later one passes', () => {
    const bucket = new TokenBucket(1, 2, 0)
    expect(bucket.take(0)).toEqual({ ok: true })
    expect(bucket.take(0)).toEqual({ ok: true })
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 1 })
    expect(bucket.take(1000)).toEqual({ ok: true })
    expect(bucket.take(1000).ok).toBe(false)
  })

  it('never holds more than its burst, however long it was idle', () => {
    const bucket = new TokenBucket(10, 3, 0)
    const passed = Array.from({ length: 5 }, () => bucket.take(3_600_000).ok).filter(Boolean)
    expect(passed).toHaveLength(3)
  })

  it('says how long to wait at a slow rate', () => {
    const bucket = new TokenBucket(0.1, 1, 0)
    bucket.take(0)
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 10 })
  })
})
