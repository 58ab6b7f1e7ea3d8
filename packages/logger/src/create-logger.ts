import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino'

export type { Logger } from 'pino'

/** Paths never written to a log line, whatever a caller passes. */
export const redactPaths = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'config.DATABASE_URL',
  'config.API_KEYS',
  'DATABASE_URL',
  // One level deeper (pino's * is one level): a whole subscription logged carries its channel's secret.
  '*.*.secret',
  '*.*.password',
  '*.*.apiKey',
  '*.*.token',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  // Connection strings under the names services pass them by.
  'databaseUrl',
  '*.databaseUrl',
]

export interface CreateLoggerOptions {
  service: string
  level?: LoggerOptions['level']
  destination?: DestinationStream
}

/**
 * NDJSON to stdout with `service` on every line, ISO times and secrets redacted.
 * Pass `destination` in tests to capture lines.
 */
export function createLogger({ service, level = 'info', destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  }
  return destination ? pino(options, destination) : pino(options)
}

/** Replaces a URL's password with `***` so a connection string can be logged. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return '[unparseable url]'
  }
}
