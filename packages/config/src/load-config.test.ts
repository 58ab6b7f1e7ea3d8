import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { booleanEnv, ConfigError, databaseEnv, loadConfig, natsEnv, port } from './index.js'

const schema = z.object({ ...databaseEnv, ...natsEnv, PORT: port(8080), FLAG: booleanEnv(false) })

describe('loadConfig', () => {
  it('applies defaults when variables are unset or empty', () => {
    const config = loadConfig(schema, { PORT: '' })
    expect(config.PORT).toBe(8080)
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222')
    expect(config.TRADEWATCH_PREFIX).toBe('trade')
    expect(config.FLAG).toBe(false)
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('names every wrong variable in one error', () => {
    const attempt = () => loadConfig(schema, { DATABASE_URL: 'mysql://x', PORT: 'eighty', FLAG: 'yes' })
    expect(attempt).toThrow(ConfigError)
    try {
      attempt()
    } catch (err) {
      const message = (err as ConfigError).message
      expect(message).toContain('DATABASE_URL')
      expect(message).toContain('PORT')
      expect(message).toContain('FLAG')
    }
  })

  it('rejects a prefix that is not a safe subject token', () => {
    expect(() => loadConfig(schema, { TRADEWATCH_PREFIX: 'Trade.events' })).toThrow(/TRADEWATCH_PREFIX/)
  })
})
