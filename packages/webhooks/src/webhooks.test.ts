import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhook } from './index.js'

const secret = 'whsec_test_0123456789'
const body = JSON.stringify({ alertId: 'a1', title: 'Canada lowers its surtax on electric vehicles from China from 100% to 6.1%' })
const now = 1_780_000_000

describe('webhook signatures', () => {
  it('given a signed body, then it verifies with the same secret and body', () => {
    const header = signWebhook({ secret, body, timestamp: now })
    expect(header).toMatch(/^t=1780000000,v1=[0-9a-f]{64}$/)
    expect(verifyWebhook({ secret, header, body, now })).toEqual({ ok: true, timestamp: now })
  })

  it('given a tampered body, then it is rejected', () => {
    const header = signWebhook({ secret, body, timestamp: now })
    expect(verifyWebhook({ secret, header, body: body.replace('6.1%', '0%'), now })).toEqual({ ok: false, code: 'SIGNATURE_MISMATCH' })
  })

  it('given a tampered timestamp, then it is rejected even within the tolerance', () => {
    const header = signWebhook({ secret, body, timestamp: now }).replace(`t=${now}`, `t=${now + 1}`)
    expect(verifyWebhook({ secret, header, body, now })).toEqual({ ok: false, code: 'SIGNATURE_MISMATCH' })
  })

  it('given another secret, then it is rejected', () => {
    const header = signWebhook({ secret: 'whsec_other', body, timestamp: now })
    expect(verifyWebhook({ secret, header, body, now })).toEqual({ ok: false, code: 'SIGNATURE_MISMATCH' })
  })

  it('given a timestamp older (or newer) than the tolerance, then it is rejected', () => {
    const old = signWebhook({ secret, body, timestamp: now - 301 })
    expect(verifyWebhook({ secret, header: old, body, now })).toEqual({ ok: false, code: 'TIMESTAMP_OUT_OF_TOLERANCE' })
    expect(verifyWebhook({ secret, header: old, body, now, toleranceSeconds: 600 }).ok).toBe(true)
    const future = signWebhook({ secret, body, timestamp: now + 301 })
    expect(verifyWebhook({ secret, header: future, body, now }).ok).toBe(false)
  })

  it('given no header or a malformed one, then it says so', () => {
    expect(verifyWebhook({ secret, header: undefined, body, now })).toEqual({ ok: false, code: 'MISSING_HEADER' })
    expect(verifyWebhook({ secret, header: 'v1=abc', body, now })).toEqual({ ok: false, code: 'MALFORMED_HEADER' })
    expect(verifyWebhook({ secret, header: `t=${now},v1=${'0'.repeat(63)}`, body, now })).toEqual({ ok: false, code: 'MALFORMED_HEADER' })
  })
})
