import { adminQuery, useTestEnvironment } from '@tradewatch/test-support'
import { describe, expect, it } from 'vitest'
import { acquireLeadership } from './leadership.js'
import { testLogger } from './testing.js'

const env = useTestEnvironment()
const logger = testLogger()

describe('acquireLeadership', () => {
  it('keeps a standby waiting until the leader releases', async () => {
    const leader = await acquireLeadership({ databaseUrl: env.databaseUrl, lock: 'handover', logger })
    let standbyLeads = false
    const standby = acquireLeadership({ databaseUrl: env.databaseUrl, lock: 'handover', logger }).then((l) => {
      standbyLeads = true
      return l
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(standbyLeads).toBe(false)
    await leader.release()
    await (await standby).release()
    expect(standbyLeads).toBe(true)
  })

  it('reports the lock lost when its connection dies, and a standby takes over', async () => {
    const leader = await acquireLeadership({ databaseUrl: env.databaseUrl, lock: 'crash', logger })
    const standby = acquireLeadership({ databaseUrl: env.databaseUrl, lock: 'crash', logger })
    await adminQuery(
      env.databaseUrl,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tradewatch-lock:crash' AND wait_event_type IS DISTINCT FROM 'Lock'`,
    )
    await leader.lost
    await (await standby).release()
  })

  it('gives up waiting when aborted', async () => {
    const leader = await acquireLeadership({ databaseUrl: env.databaseUrl, lock: 'abort', logger })
    const controller = new AbortController()
    const waiting = acquireLeadership({ databaseUrl: env.databaseUrl, lock: 'abort', logger, signal: controller.signal })
    setTimeout(() => controller.abort(), 100)
    await expect(waiting).rejects.toThrow()
    const early = new AbortController()
    early.abort()
    await expect(acquireLeadership({ databaseUrl: env.databaseUrl, lock: 'abort', logger, signal: early.signal })).rejects.toThrow()
    await leader.release()
    // The abandoned waiters hold nothing: the lock is free again.
    await (await acquireLeadership({ databaseUrl: env.databaseUrl, lock: 'abort', logger })).release()
  })
})
