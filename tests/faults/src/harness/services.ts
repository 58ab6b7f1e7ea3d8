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
  const start = () => startService(name, env, { timeoutMs: 60_000 })
  let current = await start()
  const earlier: string[] = []
  return {
    name,
    url: current.url,
    get current() {
      return current
    },
    lines: () => [...earlier, ...current.lines],
    async killAndRestart() {
      await current.kill()
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
      await current.stop()
    },
  }
}
