import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger, redactUrl } from './index.js'

function capture() {
  const lines: Record<string, unknown>[] = []
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line))
      callback()
    },
  })
  return { lines, destination }
}

describe('createLogger', () => {
  it('writes JSON with the service, a level label and an ISO time', () => {
    const { lines, destination } = capture()
    createLogger({ service: 'ingest', destination }).info({ eventId: 'e1' }, 'event appended')
    expect(lines[0]).toMatchObject({ service: 'ingest', level: 'info', eventId: 'e1', msg: 'event appended' })
    expect(String(lines[0]?.time)).toMatch(/^\d{4}-\d{2}-\d{2}T/)
  })

  it('never writes secrets', () => {
    const { lines, destination } = capture()
    createLogger({ service: 'api', destination }).info(
      { apiKey: 'tw_live_abc', webhook: { secret: 's3cr3t' }, req: { headers: { authorization: 'Bearer xyz' } } },
      'request',
    )
    const text = JSON.stringify(lines)
    expect(text).not.toContain('tw_live_abc')
    expect(text).not.toContain('s3cr3t')
    expect(text).not.toContain('Bearer xyz')
  })

  it('never writes secrets one level deeper, nor a connection string passed as databaseUrl', () => {
    const { lines, destination } = capture()
    createLogger({ service: 'api', destination }).info(
      {
        subscription: { id: 's1', channel: { type: 'webhook', url: 'https://hooks.example.com', secret: 'whsec_nested' } },
        request: { headers: { 'x-api-key': 'tw_live_nested', authorization: 'Bearer nested' } },
        deps: { databaseUrl: 'postgres://app:hunter2@db/tw' },
        databaseUrl: 'postgres://app:hunter3@db/tw',
      },
      'nested',
    )
    const text = JSON.stringify(lines)
    for (const secret of ['whsec_nested', 'tw_live_nested', 'Bearer nested', 'hunter2', 'hunter3']) expect(text).not.toContain(secret)
    expect(lines[0]).toMatchObject({ subscription: { id: 's1', channel: { type: 'webhook', url: 'https://hooks.example.com' } } })
  })

  it('hides a password inside a connection string', () => {
    expect(redactUrl('postgres://app:hunter2@db:5432/tw')).toBe('postgres://app:***@db:5432/tw')
  })
})
