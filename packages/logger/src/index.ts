export { type CreateLoggerOptions, createLogger, type Logger, redactPaths, redactUrl } from './create-logger.js'
