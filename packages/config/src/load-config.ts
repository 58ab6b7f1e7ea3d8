import type { z } from 'zod'

/** Thrown when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'
  constructor(readonly issues: string[]) {
    super(`invalid configuration: ${issues.join('; ')}`)
    this.name = 'ConfigError'
  }
}

type Source = Record<string, string | undefined>

/**
 * Parses `source` (default: process.env) with `schema`. Empty strings count as unset,
 * so `FOO=` in a .env file falls back to the default instead of failing a number parse.
 * Every failing variable is named in one error.
 *
 * @example
 * const config = loadConfig(z.object({ ...databaseEnv, ...natsEnv }))
 */
export function loadConfig<S extends z.ZodType>(schema: S, source: Source = process.env): Readonly<z.output<S>> {
  const cleaned: Source = {}
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== '') cleaned[key] = value
  }
  const result = schema.safeParse(cleaned)
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(root)'
        return `${name}: ${issue.message}`
      }),
    )
  }
  return Object.freeze(result.data)
}

/**
 * For a service's main(): load the config or print one clear line and exit 1.
 */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, service: string, source: Source = process.env): Readonly<z.output<S>> {
  try {
    return loadConfig(schema, source)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${service}: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
}
