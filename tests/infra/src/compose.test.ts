import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { freePort, natsBlock, natsIncludes, natsRoutes, natsSetting, readRepoFile, readYaml, repoPath, workspacePackages } from './files.js'

/** The runtime contract: each deployable package, its compose service and its HTTP port. */
const SERVICES: Record<string, { pkg: string; port: number }> = {
  api: { pkg: '@tradewatch/api', port: 8080 },
  ingest: { pkg: '@tradewatch/ingest', port: 8081 },
  projection: { pkg: '@tradewatch/projection', port: 8082 },
  alert: { pkg: '@tradewatch/alert', port: 8083 },
}
const CLI = '@tradewatch/cli'
const DOCKERFILE = 'infra/docker/service.Dockerfile'
const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.cluster.yml']
const SERVICE_ENV = ['DATABASE_URL', 'NATS_URL', 'TRADEWATCH_PREFIX', 'LOG_LEVEL', 'PORT', 'HOST', 'API_KEYS']

type Service = Record<string, any>
type Compose = { name?: string; services: Record<string, Service>; volumes?: Record<string, unknown> }

const compose = (file: string): Compose => readYaml(file) as Compose

const schema = JSON.parse(readRepoFile('tests/infra/schema/compose-spec.schema.json')) as Record<string, unknown>
// Ajv knows draft-07 as http://json-schema.org/draft-07/schema#; the spec writes https without '#'.
const { $schema: _draft, ...schemaBody } = schema
const validateCompose = new Ajv({ allErrors: true, strict: false }).compile(schemaBody)

/** A short-syntax port "[ip:]host:container[/proto]" → its parts (host side may hold ${VAR:-n}). */
function parsePort(spec: string): { ip: string | undefined; container: number } {
  const withoutProto = spec.replace(/\/(tcp|udp)$/, '')
  const container = Number(withoutProto.slice(withoutProto.lastIndexOf(':') + 1))
  const ip = /^(\d+\.\d+\.\d+\.\d+):/.exec(withoutProto)?.[1]
  return { ip, container }
}

/** Bind mounts "./src:/dst[:ro]" of a service (named volumes skipped). */
function bindMounts(service: Service): { source: string; target: string }[] {
  return (service.volumes ?? [])
    .filter((v: unknown): v is string => typeof v === 'string' && /^\.{0,2}\//.test(v))
    .map((v: string) => {
      const [source = '', target = ''] = v.split(':')
      return { source: posix.normalize(source), target }
    })
}

/** The host file a container path comes from, through the service's bind mounts. */
function hostPathOf(service: Service, containerPath: string): string | undefined {
  for (const { source, target } of bindMounts(service)) {
    if (containerPath === target) return source
    if (containerPath.startsWith(`${target}/`)) return posix.join(source, containerPath.slice(target.length + 1))
  }
  return undefined
}

/** "http://127.0.0.1:8081/healthz" out of a healthcheck test. */
function healthUrl(service: Service): URL {
  const test: string[] = Array.isArray(service.healthcheck?.test) ? service.healthcheck.test : [String(service.healthcheck?.test ?? '')]
  const url = test.join(' ').match(/https?:\/\/[^\s'"]+/)?.[0]
  if (!url) throw new Error(`no URL in healthcheck ${JSON.stringify(test)}`)
  return new URL(url)
}

describe.each(COMPOSE_FILES)('%s', (file) => {
  const doc = compose(file)

  it('parses (anchors and merge keys resolved) and validates against the Compose Specification', () => {
    const valid = validateCompose(doc)
    expect(validateCompose.errors ?? [], JSON.stringify(validateCompose.errors, null, 2)).toEqual([])
    expect(valid).toBe(true)
    expect(doc.name).toMatch(/^[a-z0-9][a-z0-9_-]*$/)
  })

  it('names only paths that exist: build contexts, Dockerfiles, bind-mounted files', () => {
    for (const [name, service] of Object.entries(doc.services)) {
      if (service.build) {
        const context = service.build.context ?? '.'
        expect(existsSync(repoPath(context)), `${name}: build context ${context}`).toBe(true)
        expect(existsSync(repoPath(context, service.build.dockerfile ?? 'Dockerfile')), `${name}: dockerfile`).toBe(true)
      }
      for (const { source } of bindMounts(service)) expect(existsSync(repoPath(source)), `${name}: mount ${source}`).toBe(true)
    }
  })

  it('publishes host ports on 127.0.0.1 only, and every named volume is declared', () => {
    for (const [name, service] of Object.entries(doc.services)) {
      for (const spec of service.ports ?? []) expect(parsePort(String(spec)).ip, `${name}: ${spec}`).toBe('127.0.0.1')
      for (const v of service.volumes ?? []) {
        if (typeof v !== 'string' || /^\.{0,2}\//.test(v)) continue
        expect(Object.keys(doc.volumes ?? {}), `${name}: volume ${v}`).toContain(v.split(':')[0])
      }
    }
  })

  it('runs NATS from a config in infra/nats whose ports and monitoring match the healthcheck', () => {
    const natsServices = Object.entries(doc.services).filter(([name]) => name.startsWith('nats'))
    expect(natsServices.length).toBeGreaterThan(0)
    for (const [name, service] of natsServices) {
      expect(service.image, name).toMatch(/^(\$\{NATS_IMAGE:-)?nats:2\.(1\d|[2-9]\d)[.\d]*-alpine/)
      const command: string[] = service.command
      const confInContainer = command[command.indexOf('-c') + 1] ?? ''
      const confOnHost = hostPathOf(service, confInContainer)
      expect(confOnHost, `${name}: ${confInContainer} is not mounted`).toMatch(/^infra\/nats\//)
      const conf = readNatsConf(confOnHost ?? '')
      const clientPort = Number((natsSetting(conf, 'listen') ?? '').split(':').pop())
      const monitorPort = Number(natsSetting(conf, 'http_port'))
      const published = (service.ports ?? []).map((p: string) => parsePort(p).container)
      expect(published, name).toEqual(expect.arrayContaining([clientPort, monitorPort]))
      const url = healthUrl(service)
      expect(Number(url.port), name).toBe(monitorPort)
      expect(url.pathname).toBe('/healthz')
      expect(url.searchParams.get('js-enabled-only')).toBe('true')
      // busybox wget may try ::1 for localhost while the server listens on IPv4.
      expect(url.hostname).toBe('127.0.0.1')
    }
  })
})

/** A NATS config with its `include`s inlined (paths relative to the including file). */
function readNatsConf(path: string): string {
  const text = readRepoFile(path)
  return natsIncludes(text).reduce((all, inc) => `${all}\n${readNatsConf(posix.join(posix.dirname(path), inc))}`, text)
}

describe('docker-compose.yml services', () => {
  const doc = compose('docker-compose.yml')
  const packages = workspacePackages()

  it('runs the four services and the one-shot migrate, and nothing unexpected', () => {
    expect(Object.keys(doc.services).sort()).toEqual(['alert', 'api', 'ingest', 'migrate', 'nats', 'postgres', 'projection'])
  })

  it.each(Object.entries(SERVICES))('%s: built from the service Dockerfile for its package, on its documented port', (name, { pkg, port }) => {
    const service = doc.services[name] ?? {}
    expect(service.build).toMatchObject({ context: '.', dockerfile: DOCKERFILE, args: { PACKAGE: pkg } })
    expect(service.environment.PORT).toBe(String(port))
    expect(service.environment.HOST).toBe('0.0.0.0')
    expect((service.ports ?? []).map((p: string) => parsePort(p).container)).toEqual([port])
    const url = healthUrl(service)
    expect([url.hostname, Number(url.port), url.pathname]).toEqual(['127.0.0.1', port, '/healthz'])
    expect(service.command ?? ['node', 'dist/main.js']).toEqual(['node', 'dist/main.js'])
    expect(service).toMatchObject({ init: true, restart: 'unless-stopped' })
    expect(service.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      nats: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    })
  })

  it('every build arg PACKAGE names a workspace package that starts with node dist/main.js from a src → dist build', () => {
    const built = Object.entries(doc.services).filter(([, s]) => s.build)
    expect(built.map(([, s]) => s.build.args.PACKAGE).sort()).toEqual([...Object.values(SERVICES).map((s) => s.pkg), CLI].sort())
    for (const [name, service] of built) {
      const found = packages.get(service.build.args.PACKAGE)
      expect(found, `${name}: ${service.build.args.PACKAGE} is not a workspace package`).toBeDefined()
      if (!found) continue
      const { manifest, dir } = found
      const entry = manifest.scripts?.start === 'node dist/main.js' || Object.values(manifest.bin ?? {}).includes('dist/main.js')
      expect(entry, `${name}: ${dir}/package.json has neither start: node dist/main.js nor a bin dist/main.js`).toBe(true)
      expect(manifest.files, `${name}: pnpm deploy copies only "files"`).toContain('dist')
      expect(manifest.scripts?.build, `${name}: build script`).toMatch(/tsc -b/)
      const tsconfig = JSON.parse(readFileSync(repoPath(dir, 'tsconfig.json'), 'utf8'))
      expect(tsconfig.compilerOptions, `${name}: src/main.ts compiles to dist/main.js`).toMatchObject({ rootDir: 'src', outDir: 'dist' })
    }
  })

  it('migrate is a one-shot CLI run after Postgres is healthy, and --wait is satisfied by it', () => {
    const migrate = doc.services.migrate ?? {}
    expect(migrate.command).toEqual(['node', 'dist/main.js', 'migrate'])
    expect(migrate.restart).toBe('no')
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } })
    // `docker compose up --wait` fails on an exited container unless a running service depends on
    // it with service_completed_successfully.
    const oneShots = Object.entries(doc.services).filter(([, s]) => s.restart === 'no')
    for (const [name] of oneShots) {
      const adopters = Object.values(doc.services).filter((s) => s.depends_on?.[name]?.condition === 'service_completed_successfully')
      expect(adopters.length, `${name} is adopted by no long-running service`).toBeGreaterThan(0)
    }
  })

  it('points every app at the compose Postgres and NATS', () => {
    for (const name of [...Object.keys(SERVICES), 'migrate']) {
      const env = doc.services[name]?.environment ?? {}
      expect(new URL(env.DATABASE_URL.replace(/\$\{[^}]*\}/g, 'x')).host, name).toBe('postgres:5432')
      expect(env.NATS_URL, name).toBe('nats://nats:4222')
    }
  })

  it('checks Postgres with pg_isready', () => {
    const pg = doc.services.postgres ?? {}
    expect(pg.image).toMatch(/^postgres:15(\.\d+)?-alpine/)
    expect(pg.healthcheck.test.join(' ')).toMatch(/pg_isready/)
  })
})

describe('docker-compose.cluster.yml', () => {
  const doc = compose('docker-compose.cluster.yml')

  it('runs three nodes whose configs name each other as routes', () => {
    const names = Object.keys(doc.services).sort()
    expect(names).toEqual(['nats-1', 'nats-2', 'nats-3'])
    const serverNames = new Set<string>()
    for (const name of names) {
      const service = doc.services[name] ?? {}
      const confOnHost = hostPathOf(service, service.command[service.command.indexOf('-c') + 1]) ?? ''
      const conf = readNatsConf(confOnHost)
      serverNames.add(natsSetting(conf, 'server_name') ?? '')
      const cluster = natsBlock(conf, 'cluster') ?? ''
      const clusterPort = (natsSetting(cluster, 'listen') ?? '').split(':').pop()
      const routes = natsRoutes(cluster).map((r) => new URL(r))
      expect(routes.map((r) => r.hostname).sort(), name).toEqual(names)
      expect(new Set(routes.map((r) => r.port)), name).toEqual(new Set([clusterPort]))
      expect(
        routes.every((r) => r.protocol === 'nats-route:'),
        name,
      ).toBe(true)
    }
    expect(serverNames.size).toBe(3)
  })
})

describe('NATS configs (infra/nats)', () => {
  const confs = ['infra/nats/nats.conf', 'infra/nats/cluster/nats-1.conf', 'infra/nats/cluster/nats-2.conf', 'infra/nats/cluster/nats-3.conf']

  it.each(confs)('%s: JetStream fsyncs before acking, stores under the mounted volume, no domain', (path) => {
    const js = natsBlock(readNatsConf(path), 'jetstream') ?? ''
    expect(natsSetting(js, 'sync_interval')).toBe('always')
    expect(natsSetting(js, 'store_dir')).toBe('/data/jetstream')
    expect(natsSetting(js, 'domain')).toBeUndefined()
  })

  it('the README says why sync_interval is always, and that dev/CI run 2.9.10', () => {
    const readme = readRepoFile('infra/nats/README.md')
    expect(readme).toMatch(/sync_interval: always/)
    expect(readme).toMatch(/Jepsen/)
    expect(readme).toMatch(/2\.9\.10/)
  })
})

const natsServer = spawnSync('nats-server', ['--version'], { encoding: 'utf8' })
const hasNatsServer = natsServer.status === 0

/** A copy of infra/nats without the 2.10+ `sync_interval` lines, for the local 2.9 binary. */
function natsDirFor29(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tw-nats-conf-'))
  cpSync(repoPath('infra/nats'), dir, { recursive: true })
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry)
      if (statSync(p).isDirectory()) walk(p)
      else if (p.endsWith('.conf')) writeFileSync(p, readFileSync(p, 'utf8').replace(/^\s*sync_interval\s*[:=].*$/gm, ''))
    }
  }
  walk(dir)
  return dir
}

describe.skipIf(!hasNatsServer)(`local nats-server (${natsServer.stdout?.trim() || 'absent'}) with sync_interval stripped`, () => {
  it.each(['nats.conf', 'cluster/nats-1.conf', 'cluster/nats-2.conf', 'cluster/nats-3.conf'])('accepts %s (nats-server -t)', (conf) => {
    const dir = natsDirFor29()
    try {
      const result = spawnSync('nats-server', ['-c', join(dir, conf), '-t'], { encoding: 'utf8', timeout: 10_000 })
      expect(`${result.stdout}${result.stderr}`).toMatch(/is valid/)
      expect(result.status).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('serves the compose healthcheck URL from the single-node config', async () => {
    const dir = natsDirFor29()
    const conf = join(dir, 'nats.conf')
    writeFileSync(conf, readFileSync(conf, 'utf8').replace(/store_dir: .*/, `store_dir: "${join(dir, 'js')}"`))
    const [port, monitor] = [await freePort(), await freePort()]
    // -a/-p/-m override the config's 0.0.0.0:4222 and 8222, so the shared server is never touched.
    const child = spawn('nats-server', ['-c', conf, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)], { stdio: 'ignore' })
    try {
      const deadline = Date.now() + 10_000
      let body = ''
      while (Date.now() < deadline) {
        const res = await fetch(`http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`).catch(() => undefined)
        if (res?.ok) {
          body = await res.text()
          break
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(JSON.parse(body)).toEqual({ status: 'ok' })
      const varz = (await (await fetch(`http://127.0.0.1:${monitor}/varz`)).json()) as Record<string, any>
      expect(varz.server_name).toBe('tradewatch-nats')
      expect(varz.max_payload).toBe(1024 * 1024)
      expect(varz.jetstream?.config?.max_memory).toBe(256 * 1024 * 1024)
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)))
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** Dockerfile instructions (continuations joined, comments dropped), grouped by stage. */
function dockerStages(text: string): { from: string; name: string | undefined; lines: string[] }[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'))
  const stages: { from: string; name: string | undefined; lines: string[] }[] = []
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line)
    if (from) stages.push({ from: from[1] ?? '', name: from[2], lines: [] })
    else stages.at(-1)?.lines.push(line)
  }
  return stages
}

describe(DOCKERFILE, () => {
  const text = readRepoFile(DOCKERFILE)
  const stages = dockerStages(text)
  const runtime = stages.at(-1)
  const root = JSON.parse(readRepoFile('package.json'))

  it('installs the pnpm pinned by the root package.json', () => {
    expect(text).toContain(`ARG PNPM_VERSION=${String(root.packageManager).replace(/^pnpm@/, '')}`)
  })

  it('installs with the frozen lockfile, builds the package and its deps, deploys it with pnpm deploy --prod --legacy', () => {
    expect(text).toMatch(/pnpm install --frozen-lockfile/)
    expect(text).toMatch(/pnpm --filter-prod "\$\{PACKAGE\}\.\.\." .*run build/)
    expect(text).toMatch(/pnpm --filter "\$\{PACKAGE\}" deploy --prod --legacy .*\/out/)
  })

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
    for (const required of ['**/node_modules', '**/dist', '.git', '**/*.tsbuildinfo', '**/coverage', 'bench/results.json']) expect(ignored).toContain(required)
    for (const stage of stages) {
      for (const line of stage.lines.filter((l) => /^COPY\s/i.test(l) && !/--from=/.test(l))) {
        const sources = line.split(/\s+/).slice(1, -1)
        for (const source of sources.filter((s) => !s.startsWith('--'))) {
          expect(existsSync(repoPath(source)), `${line}: ${source}`).toBe(true)
          expect(ignored, `${line}: ${source} is dockerignored`).not.toContain(source)
        }
      }
    }
  })

  it('runs as node from a clean Node image with only the deployed package, no package manager', () => {
    expect(runtime?.name).toBe('runtime')
    expect(runtime?.from).toBe(['$', '{NODE_IMAGE}'].join(''))
    expect(text).toMatch(/^ARG NODE_IMAGE=node:2[2-9]-alpine$/m)
    const lines = runtime?.lines ?? []
    expect(lines).toContain('USER node')
    expect(lines).toContain('WORKDIR /app')
    expect(lines).toContain('COPY --from=build --chown=node:node /out /app')
    expect(lines).toContain('CMD ["node", "dist/main.js"]')
    expect(lines.some((l) => /^ENV .*NODE_ENV=production/.test(l))).toBe(true)
    expect(lines.filter((l) => /^RUN\s/.test(l) && /\b(pnpm|corepack enable|npm (i|install))\b/.test(l))).toEqual([])
    expect(lines.indexOf('USER node')).toBeGreaterThan(lines.findIndex((l) => l.startsWith('COPY')))
  })
})

describe('.env.example', () => {
  const documented = new Set([...readRepoFile('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]))

  it('documents every variable the compose files interpolate and every variable the services read', () => {
    const interpolated = COMPOSE_FILES.flatMap((f) => [...readRepoFile(f).matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''))
    for (const name of new Set([...interpolated, ...SERVICE_ENV])) expect(documented, name).toContain(name)
  })
})
