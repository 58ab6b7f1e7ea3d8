import { execFile } from 'node:child_process'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './processes.js'

const run = promisify(execFile)
const binDir = process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin'

export interface PostgresCluster {
  readonly port: number
  /** The `postgres` database; create your own with `ensureDatabase`/`withDatabase`. */
  readonly url: string
  /** Starts the cluster again on the same port and data (after `stop`). */
  start(): Promise<void>
  /** `fast` closes sessions cleanly; `immediate` is a crash (recovery on next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  /** Stops the cluster if it runs and removes its directory. Safe to call twice. */
  destroy(): Promise<void>
}

/**
 * A throwaway PostgreSQL cluster of the test's own, on a free port, for tests that stop and
 * restart the database. Never the shared one. initdb refuses root, so as root the binaries run
 * as the `postgres` OS user, in a temp directory it owns.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tw-pg-'))
  const dataDir = path.join(dir, 'data')
  const asOwner = await ownerOf(dir)
  const port = await freePort()
  const pgCtl = (...args: string[]) => asOwner(path.join(binDir, 'pg_ctl'), ['-D', dataDir, ...args])
  let running = false
  const cluster: PostgresCluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      // -w waits until the server accepts connections; the socket lives in our dir, not /run.
      await pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', path.join(dir, 'log'), '-t', '60', '-w', 'start')
      running = true
    },
    async stop(mode = 'fast') {
      await pgCtl('-m', mode, '-t', '60', '-w', 'stop')
      running = false
    },
    async destroy() {
      if (running) await cluster.stop('immediate').catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
  try {
    await asOwner(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync'])
    await cluster.start()
  } catch (err) {
    await cluster.destroy()
    throw err
  }
  return cluster
}

type Runner = (file: string, args: string[]) => Promise<void>

// As root, hand the directory to `postgres` and run through runuser; otherwise run directly.
async function ownerOf(dir: string): Promise<Runner> {
  if (process.getuid?.() !== 0) return async (file, args) => void (await run(file, args))
  const { stdout } = await run('id', ['-u', 'postgres'])
  const { stdout: gid } = await run('id', ['-g', 'postgres'])
  await chown(dir, Number(stdout.trim()), Number(gid.trim()))
  return async (file, args) => void (await run('runuser', ['-u', 'postgres', '--', file, ...args]))
}
