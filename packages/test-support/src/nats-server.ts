import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { connect } from 'nats'
import { freePort } from './processes.js'
import { waitFor } from './wait.js'

export interface NatsServer {
  readonly port: number
  readonly url: string
  /** The JetStream store directory, kept across restarts unless `wipe` is asked. */
  readonly storeDir: string
  /** Every line the server logged, across restarts. */
  readonly lines: string[]
  /** Starts it again on the same port; `wipe: true` empties the store first (data lost). */
  start(options?: { wipe?: boolean }): Promise<void>
  /** SIGTERM (clean shutdown, store flushed) or SIGKILL (a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /** Stops the server if it runs and removes its directory. Safe to call twice. */
  destroy(): Promise<void>
}

/**
 * A nats-server with JetStream of the test's own, on a free port, for tests that stop and
 * restart NATS. Never the shared one.
 */
export async function startNatsServer(): Promise<NatsServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tw-nats-'))
  const storeDir = path.join(dir, 'store')
  const port = await freePort()
  const url = `nats://127.0.0.1:${port}`
  const lines: string[] = []
  let child: ChildProcess | undefined
  let exited: Promise<unknown> = Promise.resolve()

  const server: NatsServer = {
    port,
    url,
    storeDir,
    lines,
    async start(options = {}) {
      if (options.wipe) await rm(storeDir, { recursive: true, force: true })
      const started = spawn('nats-server', ['-js', '-sd', storeDir, '-p', String(port), '-a', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] })
      child = started
      exited = new Promise((resolve) => started.once('exit', resolve))
      for (const stream of [started.stdout, started.stderr]) stream?.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)))
      await waitFor(
        `nats-server on ${port} with JetStream`,
        async () => {
          if (started.exitCode !== null) throw new Error(`nats-server exited with ${started.exitCode}:\n${lines.slice(-10).join('\n')}`)
          return jetStreamAnswers(url)
        },
        30_000,
        50,
      )
    },
    async stop(signal = 'SIGTERM') {
      const running = child
      child = undefined
      if (!running || running.exitCode !== null || running.signalCode !== null) return
      running.kill(signal)
      await exited
    },
    async destroy() {
      await server.stop('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    },
  }
  try {
    await server.start()
  } catch (err) {
    await server.destroy()
    throw err
  }
  return server
}

async function jetStreamAnswers(url: string): Promise<boolean> {
  const nc = await connect({ servers: url, reconnect: false, timeout: 1000 }).catch(() => undefined)
  if (!nc) return false
  try {
    await (await nc.jetstreamManager()).getAccountInfo()
    return true
  } catch {
    return false
  } finally {
    await nc.close()
  }
}
