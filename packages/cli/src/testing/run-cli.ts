import { spawn } from 'node:child_process'
import path from 'node:path'
import { repoRoot } from '@tradewatch/test-support'

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built CLI (`packages/cli/dist/main.js`) as a real process; for integration tests. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'packages/cli/dist/main.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}
