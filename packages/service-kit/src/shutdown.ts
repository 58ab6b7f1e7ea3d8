import type { Logger } from '@tradewatch/logger'

export type ShutdownStep = [name: string, run: () => Promise<unknown> | unknown]

/**
 * On SIGTERM or SIGINT, runs `steps` in order (reverse of start-up: stop taking work, finish
 * the batch, drain NATS, close the pool), then exits 0. A step that throws is logged and the
 * rest still run; if all of it takes longer than `timeoutMs` the process exits 1.
 */
export function onShutdown(logger: Logger, steps: ShutdownStep[], timeoutMs = 15_000): void {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out')
      process.exit(1)
    }, timeoutMs)
    timer.unref()
    for (const [name, run] of steps) {
      try {
        await run()
      } catch (err) {
        logger.error({ err, step: name }, 'shutdown step failed')
      }
    }
    logger.info('shut down')
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
}

/** For main(): log a start-up failure with its cause and exit 1. */
export function exitOnStartupError(logger: Logger): (err: unknown) => never {
  return (err) => {
    logger.fatal({ err }, 'start-up failed')
    process.exit(1)
  }
}
