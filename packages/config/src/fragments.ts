import { z } from 'zod'

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol)
      } catch {
        return false
      }
    },
    { message: `must be a URL with protocol ${protocols.join(' or ')}` },
  )

/** A comma-separated list of NATS server URLs. */
const natsServers = z.string().refine((value) => value.split(',').every((s) => /^(nats|tls|wss?):\/\/[^\s]+$|^[\w.-]+:\d+$/.test(s.trim())), {
  message: 'must be nats://host:port (comma-separated for several servers)',
})

export const databaseEnv = {
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/tradewatch'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
}

export const natsEnv = {
  NATS_URL: natsServers.default('nats://127.0.0.1:4222'),
  /** Prefix of every subject and stream name, so test runs and tenants never collide. */
  TRADEWATCH_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, 'must be lowercase letters, digits or _, starting with a letter')
    .default('trade'),
}

export const logEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback)

export const httpEnv = {
  HOST: z.string().default('127.0.0.1'),
}

/** `true`/`false`/`1`/`0` flags; anything else is an error rather than silently false. */
export const booleanEnv = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1')
