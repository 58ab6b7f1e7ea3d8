// Times each read model's catch-up on a preloaded stream: a profiling aid, not a test.
//
//   pnpm build && node services/projection/scripts/catchup.mjs --events 100000 [--only tariff-lines,relations] [--together] [--batch 500]
//   --queries prints where each projection's apply spent its time, per statement (compile + round trip).
//   --rates N gives every measure N more rate changes: long-lived measures, where per-measure work shows.
//   --keep leaves the scratch database (for EXPLAIN ANALYZE, or as a baseline; the stream is always deleted).
//   --from DB re-projects a kept database's events into a copy of it and compares every read-model table with DB's.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof services/projection/scripts/catchup.mjs --events 50000 --only tariff-lines
//
// It preloads a scratch database and JetStream prefix with a decider-valid workload (faults/workload.ts), then runs
// each projection alone from 0 (or all of them at once with --together) and prints events/s; both are dropped after.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { createDb, ensureDatabase, migrateToLatest } from '@tradewatch/db'
import { streams } from '@tradewatch/domain'
import { createEventStore, startRelay } from '@tradewatch/event-store'
import { createLogger } from '@tradewatch/logger'
import { startProjector } from '@tradewatch/projector'
import { sql } from 'kysely'
import { connect } from 'nats'
import { agreementsProjection } from '../dist/agreements/agreements.projection.js'
import { eventArchiveProjection } from '../dist/event-archive/event-archive.projection.js'
import { aggregateOf, workload } from '../dist/faults/workload.js'
import { measureHistoryProjection } from '../dist/measure-history/measure-history.projection.js'
import { measuresProjection } from '../dist/measures/measures.projection.js'
import { relationsProjection } from '../dist/relations/relations.projection.js'
import { tariffLinesProjection } from '../dist/tariff-lines/tariff-lines.projection.js'
import { timelineProjection } from '../dist/timeline/timeline.projection.js'

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    only: { type: 'string' },
    together: { type: 'boolean', default: false },
    batch: { type: 'string', default: '500' },
    keep: { type: 'boolean', default: false },
    queries: { type: 'boolean', default: false },
    from: { type: 'string' },
    rates: { type: 'string', default: '0' },
  },
})
let total = Number(args.events)
const batchSize = Number(args.batch)
const all = [
  measuresProjection,
  measureHistoryProjection,
  tariffLinesProjection,
  agreementsProjection,
  timelineProjection,
  eventArchiveProjection,
  relationsProjection,
]
// The projector's own ceiling (consume, parse, checkpoint, commit) with nothing to apply: --only noop.
const noop = { name: 'noop', tables: [], apply: async () => {} }
const projections = args.only ? [...all, noop].filter((p) => args.only.split(',').includes(p.name)) : all
const logger = createLogger({ service: 'catchup', level: process.env.LOG_LEVEL ?? 'warn' })
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const scratch = `tw_catchup_${randomBytes(4).toString('hex')}`
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${scratch}` }).toString()
const prefix = `c${randomBytes(4).toString('hex')}`
const seconds = (ms) => (ms / 1000).toFixed(1)
const admin = createDb(Object.assign(new URL(serverUrl), { pathname: '/postgres' }).toString(), { poolSize: 1 })

if (args.from) await sql`CREATE DATABASE ${sql.id(scratch)} TEMPLATE ${sql.id(args.from)}`.execute(admin)
else await ensureDatabase(databaseUrl)
const db = createDb(databaseUrl, { poolSize: 10, applicationName: 'tradewatch-catchup' })
const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'tradewatch-catchup' })
try {
  if (args.from) await reuse()
  else {
    await migrateToLatest(db)
    await preload()
  }
  for (const group of args.together ? [projections] : projections.map((p) => [p])) await catchUp(group)
  if (args.from) await compareWith(args.from)
} finally {
  await nc.jetstreamManager().then((jsm) => jsm.streams.delete(streams.events(prefix)).catch(() => undefined))
  await nc.close()
  await db.destroy()
  if (args.keep) console.log(`kept ${scratch}`)
  else await sql`DROP DATABASE IF EXISTS ${sql.id(scratch)} WITH (FORCE)`.execute(admin)
  await admin.destroy()
}

/** Appends the workload (chunks of aggregates in parallel: the store group-commits them), then relays it to JetStream. */
async function preload() {
  const started = performance.now()
  const store = createEventStore({ db })
  const inputs = workload('catchup', total, { rateChanges: Number(args.rates) })
  for (let i = 0; i < inputs.length; i += 5_000) {
    const streamsOf = new Map()
    for (const input of inputs.slice(i, i + 5_000)) {
      const { aggregateType, aggregateId } = aggregateOf(input)
      const key = `${aggregateType}:${aggregateId}`
      const entry = streamsOf.get(key) ?? { stream: { aggregateType, aggregateId }, events: [] }
      entry.events.push({
        type: input.type,
        data: input.data,
        metadata: {
          occurredAt: input.occurredAt,
          effectiveAt: input.effectiveAt ?? null,
          source: input.source,
          correlationId: crypto.randomUUID(),
          causationId: null,
        },
      })
      streamsOf.set(key, entry)
    }
    await Promise.all([...streamsOf.values()].map(({ stream, events }) => store.append(stream, events)))
  }
  await store.close()
  const relay = await startRelay({ db, databaseUrl, nc, prefix, logger, pollIntervalMs: 100 })
  while (relay.status().publishedPosition < total) await new Promise((resolve) => setTimeout(resolve, 100))
  await relay.stop()
  console.log(`preloaded ${total} events in ${seconds(performance.now() - started)} s`)
}

/** The kept database's events (same ids, same recordedAt) with the chosen read models emptied, relayed to a new prefix. */
async function reuse() {
  await migrateToLatest(db)
  for (const projection of projections) for (const table of projection.tables) await sql`TRUNCATE ${sql.table(table)}`.execute(db)
  await db.deleteFrom('consumer_checkpoints').execute()
  total = Number(
    (
      await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
  const relay = await startRelay({ db, databaseUrl, nc, prefix, logger, pollIntervalMs: 100 })
  while (relay.status().publishedPosition < total) await new Promise((resolve) => setTimeout(resolve, 100))
  await relay.stop()
  console.log(`re-projecting the ${total} events of ${args.from}`)
}

/** Row for row, as a count and a digest of the sorted rows: after a change to a projection, its tables must not move. */
async function compareWith(name) {
  const other = createDb(Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString(), { poolSize: 1 })
  const digest = (on, table) =>
    sql`SELECT count(*) AS n, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) AS digest FROM ${sql.table(table)} AS t`
      .execute(on)
      .then((r) => JSON.stringify(r.rows[0]))
  for (const projection of projections)
    for (const table of projection.tables) {
      const [mine, theirs] = await Promise.all([digest(db, table), digest(other, table)])
      console.log(`${table.padEnd(26)} ${mine === theirs ? 'identical' : `DIFFERENT ${mine} vs ${theirs}`}`)
    }
  await other.destroy()
}

/** Runs `group` from position 0 until every checkpoint is the head; prints each one's events/s. */
async function catchUp(group) {
  const names = group.map((p) => p.name)
  await db.deleteFrom('consumer_checkpoints').where('name', 'in', names).execute()
  const started = performance.now()
  const cpu = process.cpuUsage()
  const done = new Map()
  const timings = new Map(names.map((name) => [name, new Map()]))
  const projectors = await Promise.all(
    group.map((projection) =>
      startProjector({
        db,
        databaseUrl,
        nc,
        prefix,
        logger,
        projection: args.queries ? timed(projection, timings.get(projection.name)) : projection,
        batchSize,
        onCommitted: (position) => position === total && done.set(projection.name, performance.now()),
      }),
    ),
  )
  while (done.size < group.length) await new Promise((resolve) => setTimeout(resolve, 50))
  await Promise.all(projectors.map((p) => p.stop()))
  // This process's CPU (projector and read-model code, not Postgres): steadier than wall time on a busy machine.
  const { user, system } = process.cpuUsage(cpu)
  for (const name of names) {
    const ms = done.get(name) - started
    console.log(
      `${name.padEnd(16)} ${String(Math.round(total / (ms / 1000))).padStart(7)} events/s  (${seconds(ms)} s${group.length > 1 ? ', together' : ''}; node cpu ${seconds((user + system) / 1000)} s)`,
    )
    for (const [label, t] of [...timings.get(name)].sort((a, b) => b[1].ms - a[1].ms))
      console.log(`    ${seconds(t.ms).padStart(6)} s  ${String(t.count).padStart(5)}×  ${label}`)
  }
}

/** `projection` whose apply, and each statement in it, adds its time to `into` (label → { ms, count }). */
function timed(projection, into) {
  const add = (label, ms) => {
    const t = into.get(label) ?? { ms: 0, count: 0 }
    into.set(label, { ms: t.ms + ms, count: t.count + 1 })
  }
  const started = new Map()
  const plugin = {
    transformQuery({ node, queryId }) {
      started.set(queryId, { at: performance.now(), label: statementLabel(node) })
      return node
    },
    async transformResult({ result, queryId }) {
      const s = started.get(queryId)
      started.delete(queryId)
      if (s) add(s.label, performance.now() - s.at)
      return result
    },
  }
  return {
    ...projection,
    async apply(trx, events) {
      const at = performance.now()
      await projection.apply(trx.withPlugin(plugin), events)
      add('apply (whole, JS included)', performance.now() - at)
    },
  }
}

function statementLabel(node) {
  const table = (n) => n?.table?.identifier?.name ?? n?.identifier?.name
  if (node.kind === 'RawNode') return `raw: ${node.sqlFragments.join('?').replace(/\s+/g, ' ').trim().slice(0, 50)}`
  if (node.kind === 'InsertQueryNode') return `insert ${table(node.into)}${node.onConflict ? ' on conflict' : ''}`
  if (node.kind === 'SelectQueryNode') return `select ${table(node.from?.froms?.[0])}`
  return `${node.kind} ${table(node.table)}`
}
