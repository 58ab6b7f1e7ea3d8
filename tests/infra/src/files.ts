import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'

/** The repository root (this file is tests/infra/src/files.ts, or tests/infra/dist/files.js). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts)

export const readRepoFile = (path: string): string => readFileSync(repoPath(path), 'utf8')

/**
 * Parses a YAML file the way Compose does: anchors, aliases and `<<` merge keys resolved.
 * Throws on any YAML error or warning (a duplicate key, an unresolved alias).
 */
export function readYaml(path: string): unknown {
  const doc = parseDocument(readRepoFile(path), { merge: true, uniqueKeys: true })
  const problems = [...doc.errors, ...doc.warnings]
  if (problems.length > 0) throw new Error(`${path}: ${problems.map((p) => p.message).join('; ')}`)
  return doc.toJS({ maxAliasCount: 1000 })
}

export interface WorkspacePackage {
  name: string
  /** Relative to the repository root, e.g. services/ingest. */
  dir: string
  manifest: Record<string, any>
}

/** The workspace packages named by pnpm-workspace.yaml (its `dir/*` and `dir` entries). */
export function workspacePackages(): Map<string, WorkspacePackage> {
  const config = readYaml('pnpm-workspace.yaml') as { packages?: string[] }
  const found = new Map<string, WorkspacePackage>()
  for (const pattern of config.packages ?? []) {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(repoPath(pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern]
    for (const dir of dirs) {
      if (!existsSync(repoPath(dir, 'package.json'))) continue
      const manifest = JSON.parse(readRepoFile(`${dir}/package.json`)) as Record<string, any>
      found.set(manifest.name, { name: manifest.name, dir, manifest })
    }
  }
  return found
}

const stripComments = (text: string): string => text.replace(/(^|\s)#.*$/gm, '$1')

/** The value of the first `key: value` (or `key = value`) line of a NATS config, without quotes. */
export function natsSetting(text: string, key: string): string | undefined {
  const match = new RegExp(`^\\s*${key}\\s*[:=]\\s*"?([^"\\n]*?)"?\\s*$`, 'm').exec(stripComments(text))
  return match?.[1]
}

/** The body of a top-level `name { ... }` block of a NATS config (no nested braces expected). */
export function natsBlock(text: string, name: string): string | undefined {
  return new RegExp(`^\\s*${name}\\s*[:=]?\\s*\\{([^}]*)\\}`, 'm').exec(stripComments(text))?.[1]
}

/** The URLs of a `routes: [ ... ]` list. */
export function natsRoutes(text: string): string[] {
  const list = /^\s*routes\s*[:=]?\s*\[([^\]]*)\]/m.exec(stripComments(text))?.[1] ?? ''
  return list.split(/[\s,]+/).filter((url) => url.length > 0)
}

/** The files named by `include` lines. */
export function natsIncludes(text: string): string[] {
  return [...stripComments(text).matchAll(/^\s*include\s+['"]?([^'"\s]+)['"]?/gm)].map((m) => m[1] ?? '')
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))))
    })
  })
}
