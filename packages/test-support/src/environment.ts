import { randomBytes } from 'node:crypto'
import { createDb, type Db } from '@tradewatch/db'
import { connect, type NatsConnection } from 'nats'
import { afterAll, beforeAll, inject } from 'vitest'
import { cloneDatabase } from './databases.js'

export interface TestEnvironment {
  /** This file's own database, migrated. */
  readonly databaseUrl: string
  readonly db: Db
  readonly natsUrl: string
  readonly nc: NatsConnection
  /** This file's own subject and stream prefix (TRADEWATCH_PREFIX). */
  readonly prefix: string
}

/**
 * Gives a test file its own migrated database and its own subject prefix, so files run in
 * parallel against one Postgres and one NATS. Call at the top level of the file.
 */
export function useTestEnvironment(): TestEnvironment {
  const state: Partial<TestEnvironment> & { drop?: () => Promise<void> } = {}
  beforeAll(async () => {
    const clone = await cloneDatabase(inject('databaseServerUrl'), inject('templateDatabase'), inject('runId'))
    state.drop = clone.drop
    Object.assign(state, {
      databaseUrl: clone.url,
      db: createDb(clone.url, { poolSize: 4, applicationName: 'tradewatch-test' }),
      natsUrl: inject('natsUrl'),
      nc: await connect({ servers: inject('natsUrl'), name: 'tradewatch-test' }),
      prefix: testPrefix(),
    })
  })
  afterAll(async () => {
    if (state.nc) {
      await deleteStreams(state.nc, state.prefix ?? '')
      await state.nc.close()
    }
    await state.db?.destroy()
    await state.drop?.()
  })
  const get = <K extends keyof TestEnvironment>(key: K): TestEnvironment[K] => {
    const value = state[key]
    if (value === undefined) throw new Error(`test environment not ready: ${key} is read before beforeAll ran`)
    return value as TestEnvironment[K]
  }
  return {
    get databaseUrl() {
      return get('databaseUrl')
    },
    get db() {
      return get('db')
    },
    get natsUrl() {
      return get('natsUrl')
    },
    get nc() {
      return get('nc')
    },
    get prefix() {
      return get('prefix')
    },
  }
}

export function testPrefix(): string {
  return `t${randomBytes(4).toString('hex')}`
}

/** Removes the JetStream streams a test file created under its prefix. */
export async function deleteStreams(nc: NatsConnection, prefix: string): Promise<void> {
  if (!prefix) return
  const jsm = await nc.jetstreamManager()
  const upper = prefix.toUpperCase()
  for await (const stream of jsm.streams.list()) {
    if (stream.config.name.startsWith(`${upper}_`)) await jsm.streams.delete(stream.config.name)
  }
}
