import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { apiKeysEnv, loadConfig } from './index.js'

const schema = z.object(apiKeysEnv)
const sha = (key: string) => createHash('sha256').update(key).digest('hex')

describe('API_KEYS', () => {
  it('parses names, scopes and hashes', () => {
    const { API_KEYS } = loadConfig(schema, { API_KEYS: `feeder:ingest:${sha('a')}, analyst:read+subscribe:${sha('b')}` })
    expect(API_KEYS.map((k) => k.name)).toEqual(['feeder', 'analyst'])
    expect([...(API_KEYS[1]?.scopes ?? [])]).toEqual(['read', 'subscribe'])
    expect(API_KEYS[0]?.sha256).toBe(sha('a'))
  })

  it('is empty when unset: every protected route then refuses', () => {
    expect(loadConfig(schema, {}).API_KEYS).toEqual([])
  })

  it('refuses a clear-text key or an unknown scope, naming the variable', () => {
    expect(() => loadConfig(schema, { API_KEYS: 'feeder:ingest:my-secret-key' })).toThrow(/API_KEYS.*name:scope/)
    expect(() => loadConfig(schema, { API_KEYS: `feeder:write:${sha('a')}` })).toThrow(/unknown scope write/)
  })
})
