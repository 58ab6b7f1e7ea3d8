import { describe, expect, it } from 'vitest'
import { channelInputSchema, completeChannel, publicChannel } from './channel.js'

describe('subscription channel', () => {
  it('accepts nats, sse and a webhook with or without a secret', () => {
    expect(channelInputSchema.parse({ type: 'nats' })).toEqual({ type: 'nats' })
    expect(channelInputSchema.parse({ type: 'sse' })).toEqual({ type: 'sse' })
    expect(channelInputSchema.parse({ type: 'webhook', url: 'https://hooks.example.com/tw' })).toEqual({ type: 'webhook', url: 'https://hooks.example.com/tw' })
    expect(channelInputSchema.parse({ type: 'webhook', url: 'http://localhost:9000/', secret: 'a'.repeat(16) }).type).toBe('webhook')
  })

  it.each([
    [{ type: 'webhook', url: 'ftp://example.com/x' }, 'url'],
    [{ type: 'webhook', url: 'not a url' }, 'url'],
    [{ type: 'webhook', url: 'https://example.com/', secret: 'short' }, 'secret'],
    [{ type: 'email' }, 'type'],
    [{ type: 'nats', subject: 'x' }, ''],
  ])('rejects %j at %s', (value, path) => {
    const parsed = channelInputSchema.safeParse(value)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual([path])
  })

  it('generates a webhook secret when none is sent, each time a different one', () => {
    const a = completeChannel({ type: 'webhook', url: 'https://example.com/' })
    const b = completeChannel({ type: 'webhook', url: 'https://example.com/' })
    expect(a.type === 'webhook' && a.secret.length).toBeGreaterThanOrEqual(32)
    expect(a).not.toEqual(b)
  })

  it('keeps a secret the client chose', () => {
    expect(completeChannel({ type: 'webhook', url: 'https://example.com/', secret: 's'.repeat(20) })).toEqual({
      type: 'webhook',
      url: 'https://example.com/',
      secret: 's'.repeat(20),
    })
  })

  it('never shows the secret in the public form', () => {
    const channel = completeChannel({ type: 'webhook', url: 'https://example.com/' })
    expect(JSON.stringify(publicChannel(channel))).not.toContain('secret')
    expect(publicChannel({ type: 'nats' })).toEqual({ type: 'nats' })
  })
})
