import { createHash, randomBytes } from 'node:crypto'

export interface TestApiKey {
  /** The key to send in x-api-key. */
  key: string
  /** Its API_KEYS entry: name:scopes:sha256. */
  entry: string
}

/** A fresh random key with these scopes, and the API_KEYS entry that admits it. */
export function testApiKey(name: string, scopes: string[]): TestApiKey {
  const key = `tw_test_${randomBytes(12).toString('hex')}`
  return { key, entry: `${name}:${scopes.join('+')}:${createHash('sha256').update(key).digest('hex')}` }
}
