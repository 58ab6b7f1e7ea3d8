import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const rebuildMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../services/projection/dist/rebuild/main.js')

/**
 * Runs the projection service's rebuild (`services/projection/dist/rebuild/main.js`, all the named read models
 * in one read of the event store): the service knows its read models, the CLI does not. Its output is passed
 * through; resolves to its exit code (2: an unknown name, nothing rebuilt; 1: a rebuild failed, the read
 * models not yet swapped in untouched).
 */
export function projectionsRebuild(names: readonly string[], options: { json: boolean; databaseUrl: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const child = spawn(process.execPath, [rebuildMain, ...names, ...(options.json ? ['--json'] : [])], {
    // Progress logs only when asked for: the report lines are the output.
    env: { LOG_LEVEL: 'warn', ...options.env, DATABASE_URL: options.databaseUrl },
    stdio: 'inherit',
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}
