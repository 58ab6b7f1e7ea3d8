import { readFile } from 'node:fs/promises'
import { freePort, type ServiceProcess, startService, type TestApiKey } from '@tradewatch/test-support'

export const serviceNames = ['ingest', 'projection', 'alert', 'api'] as const
export type ServiceName = (typeof serviceNames)[number]

/** One service as a real process on a fixed port, so clients reach it again after a restart. */
export interface RunningService {
  readonly name: ServiceName
  readonly url: string
  readonly current: ServiceProcess
  /** Every line of every process this service ran as (a killed one's included). */
  lines(): string[]
  /** Exits nobody asked for (a crash, or giving up on a dependency), each with its last lines. */
  readonly crashes: string[]
  /** SIGKILL, then a new process; resolves with the ms until the new one is ready. */
  killAndRestart(): Promise<number>
  /** Resident memory of the running process, from /proc/<pid>/status. */
  rssMb(): Promise<number>
  stop(): Promise<void>
}

export interface ServiceKeys {
  feeder: TestApiKey
  subscriber: TestApiKey
}

/** Settings per service: webhooks to the local receiver allowed, and retried long enough to outlast a 60 s outage. */
function envOf(name: ServiceName, common: Record<string, string>): Record<string, string> {
  if (name !== 'alert') return common
  return {
    ...common,
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    WEBHOOK_BACKOFF_BASE_MS: '100',
    WEBHOOK_BACKOFF_MAX_MS: '3000',
    WEBHOOK_MAX_ATTEMPTS: '100',
  }
}

export async function startServiceOf(name: ServiceName, common: Record<string, string>): Promise<RunningService> {
  const env = { ...envOf(name, common), PORT: String(await freePort()) }
  // Ready once its dependencies answer, which after a restart includes reconnecting to them.
  const crashes: string[] = []
  let expectingExit = false
  const start = async () => {
    const started = await startService(name, env, { timeoutMs: 60_000 })
    started.child.once('exit', (code, signal) => {
      if (!expectingExit) crashes.push(`${name} exited (${signal ?? code}): ${started.lines.slice(-5).join('\n')}`)
    })
    return started
  }
  let current = await start()
  const earlier: string[] = []
  return {
    name,
    url: current.url,
    get current() {
      return current
    },
    lines: () => [...earlier, ...current.lines],
    crashes,
    async killAndRestart() {
      expectingExit = true
      await current.kill()
      expectingExit = false
      earlier.push(...current.lines)
      const killedAt = performance.now()
      current = await start()
      return performance.now() - killedAt
    },
    async rssMb() {
      const status = await readFile(`/proc/${current.child.pid}/status`, 'utf8')
      const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1])
      return kb / 1024
    },
    async stop() {
      expectingExit = true
      await current.stop()
    },
  }
}
