import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newApiKey } from './keys.js'

describe('keys new', () => {
  it('prints a random key and the API_KEYS entry holding only its hash', () => {
    const { key, entry } = newApiKey('feeder', 'ingest,read')
    const [name, scopes, hash] = entry.split(':')
    expect(name).toBe('feeder')
    expect(scopes).toBe('ingest+read')
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'))
    expect(entry).not.toContain(key)
    expect(newApiKey('feeder', 'ingest').key).not.toBe(key)
  })

  it('refuses unknown scopes and bad names', () => {
    expect(() => newApiKey('feeder', 'ingest,write')).toThrow(/--scopes/)
    expect(() => newApiKey('feeder', '')).toThrow(/--scopes/)
    expect(() => newApiKey('has:colon', 'read')).toThrow(/key name/)
  })
})
