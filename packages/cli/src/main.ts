#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { ConfigError, databaseEnv, loadConfig, natsEnv } from '@tradewatch/config'
import { z } from 'zod'
import { tailAlerts } from './commands/alerts-tail.js'
import { importFile } from './commands/import.js'
import { newApiKey } from './commands/keys.js'
import { migrate } from './commands/migrate.js'
import { projectionsRebuild } from './commands/projections-rebuild.js'
import { projectionsStatus, renderStatusTable } from './commands/projections-status.js'
import { republish } from './commands/republish.js'
import { seed } from './commands/seed.js'
import { start } from './commands/start.js'
import { subscribe } from './commands/subscribe.js'
import { IngestRefusedError } from './import/ingest-client.js'
import { type ImportOutcome, renderOutcome } from './import/report.js'
import { UsageError } from './usage-error.js'

const defaultIngestUrl = 'http://127.0.0.1:8081'
const usage = `usage: tradewatch <command> [options]

commands:
  start                 migrate, then run ingest, projection, alert and api (no Docker needed)
  migrate               create the database if missing and apply migrations
  republish --from N    rebuild the JetStream events stream from the event store, from position N
  projections status [--json]
                        each projection's checkpoint, the event store head, the lag and dead letters
  projections rebuild [NAME...] [--json]
                        rebuild read models (all without a name) into shadow tables while they
                        keep serving, then swap them in atomically
  subscribe ID [--name NAME]
                        add a catch-all subscription, alerts on <prefix>.alerts.ID
  import FILE [--format json|ndjson|csv] [--ingest URL] [--api-key KEY]
                        record the event inputs of a file through ingest (docs/IMPORT.md);
                        exit 0: nothing rejected, 1: some inputs rejected or the import incomplete
  seed [--ingest URL] [--api-key KEY]
                        record the demo data (Canada, China, the US and others, 2018–2026)
  keys new NAME --scopes ingest,read,subscribe,admin
                        print a new API key and the API_KEYS entry (its hash) that admits it
  alerts tail [--subscription ID] [--from-start] [--json]
                        follow the durable alerts stream on NATS, a line per alert (--json: the alert);
                        --from-start replays what the stream holds first; Ctrl-C stops

environment: DATABASE_URL, NATS_URL, TRADEWATCH_PREFIX, INGEST_URL (default ${defaultIngestUrl}),
             TRADEWATCH_API_KEY (see .env.example)`

const env = process.env
const CliConfig = z.object({ ...databaseEnv, ...natsEnv })
const ingestOptions = { ingest: { type: 'string' }, 'api-key': { type: 'string' } } as const

function ingestTarget(values: { ingest?: string; 'api-key'?: string }) {
  const apiKey = values['api-key'] ?? env.TRADEWATCH_API_KEY
  if (!apiKey) throw new UsageError('an API key with the ingest scope is needed: --api-key KEY or TRADEWATCH_API_KEY')
  const ingestUrl = values.ingest ?? env.INGEST_URL ?? defaultIngestUrl
  if (!URL.canParse(ingestUrl)) throw new UsageError(`--ingest must be a URL, got "${ingestUrl}"`)
  return { ingestUrl, apiKey, progressTo: process.stderr }
}

/** Prints the outcome; some rejected input makes the exit code 1. */
function report(file: string, outcome: ImportOutcome): void {
  console.log(renderOutcome(file, outcome))
  if (outcome.rejected.length > 0) process.exitCode = 1
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  const config = () => loadConfig(CliConfig, env)
  switch (command) {
    case 'migrate':
      parseArgs({ args: rest, options: {}, strict: true })
      return migrate(config().DATABASE_URL)
    case 'start':
      parseArgs({ args: rest, options: {}, strict: true })
      return start(env, config().DATABASE_URL)
    case 'republish': {
      const { values } = parseArgs({ args: rest, options: { from: { type: 'string', default: '1' } }, strict: true })
      const from = Number(values.from)
      if (!Number.isInteger(from) || from < 1) throw new UsageError(`--from must be a position ≥ 1, got "${values.from}"`, true)
      const { DATABASE_URL, NATS_URL, TRADEWATCH_PREFIX } = config()
      const published = await republish({ databaseUrl: DATABASE_URL, natsUrl: NATS_URL, prefix: TRADEWATCH_PREFIX, from })
      console.log(`republished ${published} events from position ${from}`)
      return
    }
    case 'projections': {
      const { values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true })
      const [subcommand, ...names] = positionals
      if (subcommand === 'rebuild') {
        process.exitCode = await projectionsRebuild(names, { json: values.json, databaseUrl: config().DATABASE_URL, env })
        return
      }
      if (subcommand !== 'status' || names.length > 0) throw new UsageError('usage: projections status [--json] | projections rebuild [NAME...] [--json]', true)
      const statuses = await projectionsStatus(config().DATABASE_URL)
      console.log(values.json ? JSON.stringify(statuses, null, 2) : renderStatusTable(statuses))
      return
    }
    case 'subscribe': {
      const { values, positionals } = parseArgs({ args: rest, options: { name: { type: 'string' } }, allowPositionals: true, strict: true })
      const [id, ...extra] = positionals
      if (!id || extra.length) throw new UsageError('subscribe takes one subscription id', true)
      return subscribe(config().DATABASE_URL, id, values.name ?? id)
    }
    case 'import': {
      const { values, positionals } = parseArgs({ args: rest, options: { ...ingestOptions, format: { type: 'string' } }, allowPositionals: true, strict: true })
      const [file, ...extra] = positionals
      if (!file || extra.length) throw new UsageError('import takes one file', true)
      return report(file, await importFile({ file, format: values.format, ...ingestTarget(values) }))
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: ingestOptions, strict: true })
      return report('demo data', await seed(ingestTarget(values)))
    }
    case 'keys': {
      const { values, positionals } = parseArgs({ args: rest, options: { scopes: { type: 'string' } }, allowPositionals: true, strict: true })
      const [verb, name, ...extra] = positionals
      if (verb !== 'new' || !name || extra.length || !values.scopes) throw new UsageError('usage: keys new NAME --scopes SCOPE[,SCOPE…]', true)
      const { key, entry } = newApiKey(name, values.scopes)
      console.log(`key (shown once, give it to the client): ${key}
API_KEYS entry (configure the services): ${entry}`)
      return
    }
    case 'alerts': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { subscription: { type: 'string' }, 'from-start': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
        allowPositionals: true,
        strict: true,
      })
      if (positionals.length !== 1 || positionals[0] !== 'tail') throw new UsageError('usage: alerts tail [--subscription ID] [--from-start] [--json]', true)
      const { NATS_URL, TRADEWATCH_PREFIX } = loadConfig(z.object(natsEnv), env)
      const stop = new AbortController()
      process.once('SIGINT', () => stop.abort())
      process.once('SIGTERM', () => stop.abort())
      const printed = await tailAlerts({
        natsUrl: NATS_URL,
        prefix: TRADEWATCH_PREFIX,
        subscription: values.subscription,
        fromStart: values['from-start'],
        json: values.json,
        write: (line) => console.log(line),
        signal: stop.signal,
      })
      console.error(`tradewatch: stopped after ${printed} alert${printed === 1 ? '' : 's'}`)
      return
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage)
      return
    default:
      throw new UsageError(`unknown command "${command}"`, true)
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  const e = err as { code?: string; message?: string }
  // parseArgs throws ERR_PARSE_ARGS_* for unknown or malformed options.
  if (err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
    const withUsage = !(err instanceof UsageError) || err.withUsage
    console.error(withUsage ? `tradewatch: ${e.message}\n\n${usage}` : `tradewatch: ${e.message}`)
    process.exit(2)
  }
  // A key ingest does not accept is a usage error too: nothing was recorded.
  if (err instanceof ConfigError || (err instanceof IngestRefusedError && [401, 403].includes(err.problem.status))) {
    console.error(`tradewatch: ${err.message}`)
    process.exit(2)
  }
  console.error(`tradewatch: ${e.message ?? String(err)}`)
  process.exit(1)
})
