import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export interface ServiceProcess {
  readonly name: string
  readonly port: number
  readonly url: string
  readonly child: ChildProcess
  /** Every line the process wrote, stdout and stderr. */
  readonly lines: string[]
  /** SIGTERM, then the exit code (or signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>
  /** SIGKILL: no clean-up at all. */
  kill(): Promise<void>
}

/**
 * Starts `services/<name>/dist/main.js` as a real process on a free port and waits until its
 * /readyz answers 200 (or /healthz when `waitFor` is 'healthz').
 */
export async function startService(
  name: string,
  env: Record<string, string>,
  options: { waitFor?: 'readyz' | 'healthz'; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const port = Number(env.PORT ?? (await freePort()))
  const child = spawn(process.execPath, [path.join(repoRoot, 'services', name, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  for (const stream of [child.stdout, child.stderr]) {
    let rest = ''
    stream?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n')
      rest = parts.pop() ?? ''
      lines.push(...parts)
    })
  }
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)))
  const url = `http://127.0.0.1:${port}`
  const probe = options.waitFor ?? 'readyz'
  try {
    await waitFor(
      `${name} /${probe}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${lines.slice(-20).join('\n')}`)
        const response = await fetch(`${url}/${probe}`).catch(() => undefined)
        return response?.status === 200
      },
      // A cold start takes 1-2 s; a loaded CI machine has taken more than 20.
      options.timeoutMs ?? 60_000,
      50,
    )
  } catch (err) {
    child.kill('SIGKILL')
    throw new Error(`${name} did not become ready; last output:\n${lines.slice(-30).join('\n')}`, { cause: err })
  }
  return {
    name,
    port,
    url,
    child,
    lines,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode
      child.kill(signal)
      return exited
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}

/**
 * Starts services side by side. If one does not come up, the others are killed before its error is
 * thrown: a test whose set-up failed must not leave processes behind on the machine.
 */
export async function startServices<N extends string>(
  names: readonly N[],
  env: Record<string, string>,
  options?: Parameters<typeof startService>[2],
): Promise<Record<N, ServiceProcess>> {
  const settled = await Promise.allSettled(names.map((name) => startService(name, env, options)))
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) {
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.kill() : undefined)))
    throw failed.reason
  }
  const started = settled.map((s) => (s as PromiseFulfilledResult<ServiceProcess>).value)
  return Object.fromEntries(names.map((name, i) => [name, started[i]])) as Record<N, ServiceProcess>
}
