import type { EventEnvelope } from '@tradewatch/domain'
import { useTestEnvironment } from '@tradewatch/test-support'
import { describe, expect, it } from 'vitest'
import { eventArchiveProjection } from '../event-archive/event-archive.projection.js'
import { demoFacts, envelopesOf } from '../testing/envelopes.js'
import { measureHistoryProjection } from './measure-history.projection.js'

const env = useTestEnvironment()
const envelopes = envelopesOf(demoFacts(['ca-cn-ev-surtax', 'eu-cn-bev-cvd']))

const applyInBatches = async (events: readonly EventEnvelope[], size: number) => {
  for (let i = 0; i < events.length; i += size) {
    await env.db.transaction().execute(async (trx) => {
      await measureHistoryProjection.apply(trx, events.slice(i, i + size))
      await eventArchiveProjection.apply(trx, events.slice(i, i + size))
    })
  }
}

describe('measure history', () => {
  it('given the demo events of two measures in batches of 3, then each event has a row with the status and rate after it', async () => {
    await applyInBatches(envelopes, 3)
    const rows = await env.db
      .selectFrom('measure_history')
      .select(['version', 'event_type', 'status_after', 'rate_percent_after', 'occurred_at', 'effective_at'])
      .where('measure_id', '=', 'eu-cn-bev-cvd')
      .orderBy('version')
      .execute()
    expect(rows.map((r) => [r.version, r.event_type, r.status_after, r.rate_percent_after])).toEqual([
      [1, 'MeasureAnnounced', 'announced', '37.6'],
      [2, 'MeasureEnteredIntoForce', 'in_force', '37.6'],
      [3, 'MeasureScopeChanged', 'in_force', '37.6'],
      [4, 'MeasureRateChanged', 'in_force', '35.3'],
    ])
  })

  it('then the last row of the EV surtax is its revocation, effective 1 March 2026, with the quota in its state', async () => {
    const last = await env.db
      .selectFrom('measure_history')
      .selectAll()
      .where('measure_id', '=', 'ca-cn-ev-surtax')
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow()
    expect(last).toMatchObject({ event_type: 'MeasureRevoked', status_after: 'revoked', effective_at: '2026-03-01', occurred_at: '2026-02-24' })
    expect(last.state_after).toMatchObject({ ending: { reason: 'deal' }, quotas: [{ quotaId: 'ev-quota-2026' }] })
  })

  it('then the archive holds every event once, by position, as received', async () => {
    const archived = await env.db.selectFrom('event_archive').select(['position', 'envelope']).orderBy('position').execute()
    expect(archived.map((r) => Number(r.position))).toEqual(envelopes.map((e) => e.position))
    expect(archived[0]?.envelope).toEqual(JSON.parse(JSON.stringify(envelopes[0])))
  })
})
