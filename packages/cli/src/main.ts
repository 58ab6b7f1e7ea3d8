#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { ConfigError, databaseEnv, loadConfig, natsEnv } from '@tradewatch/config'
import { z } from 'zod'
import { migrate } from './commands/migrate.js'
import { republish } from './commands/republish.js'
import { start } from './commands/start.js'
import { subscribe } from './commands/subscribe.js'
import { UsageError } from './usage-error.js'

const usage = `usage: tradewatch <command> [options]

commands:
  start                 migrate, then run ingest, projection, alert and api (no Docker needed)
  migrate               create the database if missing and apply migrations
  republish --from N    rebuild the JetStream events stream from the event store, from position N
  subscribe ID [--name NAME]
                        add a catch-all subscription, alerts on <prefix>.alerts.ID

environment: DATABASE_URL, NATS_URL, TRADEWATCH_PREFIX (see .env.example)`

const env = process.env
const CliConfig = z.object({ ...databaseEnv, ...natsEnv })

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
      if (!Number.isInteger(from) || from < 1) throw new UsageError(`--from must be a position ≥ 1, got "${values.from}"`)
      const { DATABASE_URL, NATS_URL, TRADEWATCH_PREFIX } = config()
      const published = await republish({ databaseUrl: DATABASE_URL, natsUrl: NATS_URL, prefix: TRADEWATCH_PREFIX, from })
      console.log(`republished ${published} events from position ${from}`)
      return
    }
    case 'subscribe': {
      const { values, positionals } = parseArgs({ args: rest, options: { name: { type: 'string' } }, allowPositionals: true, strict: true })
      const [id, ...extra] = positionals
      if (!id || extra.length) throw new UsageError('subscribe takes one subscription id')
      return subscribe(config().DATABASE_URL, id, values.name ?? id)
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage)
      return
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  const e = err as { code?: string; message?: string }
  // parseArgs throws ERR_PARSE_ARGS_* for unknown or malformed options.
  if (err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`tradewatch: ${e.message}\n\n${usage}`)
    process.exit(2)
  }
  if (err instanceof ConfigError) {
    console.error(`tradewatch: ${err.message}`)
    process.exit(2)
  }
  console.error(`tradewatch: ${e.message ?? String(err)}`)
  process.exit(1)
})
