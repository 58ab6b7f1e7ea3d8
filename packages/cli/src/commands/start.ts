import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { migrate } from './migrate.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
/** `tw_dev_key` with every scope: only when API_KEYS is unset, and said so at start. */
const developmentApiKeys = 'dev:ingest+read+subscribe+admin:66e1054418a059edea5266c59724127aa2c430587a20e0645a946dc282bc1e6b'

const services = [
  { name: 'ingest', color: 36 },
  { name: 'projection', color: 35 },
  { name: 'alert', color: 33 },
  { name: 'api', color: 32 },
] as const

/** One pino JSON line as `time level msg key=value…`, so four services read well interleaved. */
function readable(line: string): string {
  try {
    const { time, level, msg, service: _service, ...rest } = JSON.parse(line) as Record<string, unknown>
    const extra = Object.entries(rest)
      .filter(([k]) => k !== 'pid' && k !== 'hostname')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ')
    return `${String(time).slice(11, 23)} ${String(level).padEnd(5)} ${msg ?? ''} ${extra}`.trimEnd()
  } catch {
    return line
  }
}

/**
 * Without Docker: migrates (creating the database if missing), then runs the four services
 * from their built `dist` with interleaved, readable logs. Ctrl-C stops them all cleanly.
 */
export async function start(env: NodeJS.ProcessEnv, databaseUrl: string): Promise<void> {
  await migrate(databaseUrl, (line) => console.log(`\x1b[2m[migrate]\x1b[0m ${line}`))
  const apiKeys = env.API_KEYS || developmentApiKeys
  if (!env.API_KEYS) console.log('\x1b[33mAPI_KEYS is unset: using the development key tw_dev_key (every scope)\x1b[0m')
  const children: ChildProcess[] = []
  const width = Math.max(...services.map((s) => s.name.length))
  let stopping = false
  for (const { name, color } of services) {
    const child = spawn(process.execPath, [path.join(repoRoot, 'services', name, 'dist', 'main.js')], {
      env: { ...env, DATABASE_URL: databaseUrl, API_KEYS: apiKeys },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const tag = `\x1b[${color}m${name.padEnd(width)}\x1b[0m │`
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => console.log(`${tag} ${readable(line)}`))
    }
    child.on('exit', (code, signal) => {
      console.log(`${tag} exited (${signal ?? code})`)
      if (!stopping) stopAll(1)
    })
    children.push(child)
  }
  const stopAll = (exitCode: number) => {
    if (stopping) return
    stopping = true
    for (const child of children) child.kill('SIGTERM')
    void Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve))))).then(() =>
      process.exit(exitCode),
    )
  }
  process.on('SIGINT', () => stopAll(0))
  process.on('SIGTERM', () => stopAll(0))
}
