import { createHash, randomBytes } from 'node:crypto'
import { scopes } from '@tradewatch/config'
import { UsageError } from '../usage-error.js'

/**
 * A fresh API key and the API_KEYS entry that admits it. The key is printed once and never
 * stored: the services are configured with its SHA-256 only.
 */
export function newApiKey(name: string, scopeList: string): { key: string; entry: string } {
  if (!/^[\w.-]{1,64}$/.test(name)) throw new UsageError(`key name must be 1-64 letters, digits, _ . or -, got "${name}"`)
  const wanted = scopeList
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = wanted.filter((s) => !(scopes as readonly string[]).includes(s))
  if (wanted.length === 0 || unknown.length) throw new UsageError(`--scopes takes a comma-separated list of ${scopes.join(', ')}; got "${scopeList}"`)
  const key = `tw_${randomBytes(24).toString('base64url')}`
  return { key, entry: `${name}:${wanted.join('+')}:${createHash('sha256').update(key).digest('hex')}` }
}
