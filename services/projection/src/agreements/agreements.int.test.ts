import { useTestEnvironment } from '@tradewatch/test-support'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { demoFacts, envelopesOf } from '../testing/envelopes.js'
import { agreementsProjection } from './agreements.projection.js'

const env = useTestEnvironment()
const envelopes = envelopesOf(demoFacts(['usmca', 'ca-cn-2026-arrangement', 'ca-cn-ev-surtax']))

describe('agreements', () => {
  it('given USMCA and the Canada–China arrangement from the demo data in batches of 4, then each has its current status, kind, parties and dates', async () => {
    for (let i = 0; i < envelopes.length; i += 4) await env.db.transaction().execute((trx) => agreementsProjection.apply(trx, envelopes.slice(i, i + 4)))
    const rows = await env.db
      .selectFrom('agreements')
      .select([
        'agreement_id',
        'kind',
        'title',
        'parties',
        'status',
        sql<string>`to_char(launched_on, 'YYYY-MM-DD')`.as('launched_on'),
        sql<string>`to_char(signed_on, 'YYYY-MM-DD')`.as('signed_on'),
        sql<string>`to_char(in_force_on, 'YYYY-MM-DD')`.as('in_force_on'),
      ])
      .orderBy('agreement_id')
      .execute()
    expect(rows).toEqual([
      {
        agreement_id: 'ca-cn-2026-arrangement',
        kind: 'arrangement',
        title: 'Canada–China preliminary arrangement on EVs and canola',
        parties: ['CA', 'CN'],
        status: 'preliminary',
        launched_on: '2026-01-16',
        signed_on: null,
        in_force_on: null,
      },
      expect.objectContaining({
        agreement_id: 'usmca',
        kind: 'fta',
        status: 'in_force',
        launched_on: '2018-11-30',
        signed_on: '2018-11-30',
        in_force_on: '2020-07-01',
      }),
    ])
  })

  it('then the status history has a row per change of status, not per event', async () => {
    const history = await env.db
      .selectFrom('agreement_status_history')
      .select(['event_type', 'status_before', 'status_after'])
      .where('agreement_id', '=', 'usmca')
      .orderBy('version')
      .execute()
    expect(history.map((h) => [h.event_type, h.status_before, h.status_after])).toEqual([
      ['NegotiationsLaunched', null, 'negotiating'],
      ['AgreementSigned', 'negotiating', 'signed'],
      ['AgreementRatified', 'signed', 'ratified'],
      ['AgreementEnteredIntoForce', 'ratified', 'in_force'],
    ])
  })
})
